"""What a build is turned into: exports, HTML graph pages, entity pages, reports."""
