"""Rendered page fragments kept between requests, keyed by a version of the data that every committed write moves."""
