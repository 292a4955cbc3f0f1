//! Citation -> the page it cites: query building, candidate scoring, choosing, fetching.
