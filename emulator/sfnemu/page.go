package sfnemu

// Page selects one page of a list: the items after the first Start, at
// most Size of them (DefaultPageSize when Size <= 0). A list's Next is the
// Start of the following page, 0 when there is none. The wire layer turns
// these offsets into opaque tokens; Invalid marks a token it could not
// read, which the service answers with ErrInvalidToken where AWS reads
// the token.
type Page struct {
	Start, Size int
	Invalid     bool
}

// DefaultPageSize applies when a Page has no Size.
const DefaultPageSize = 100

// bounds returns the page's range over n items, or ErrInvalidToken for a
// token that was not readable or points past the list.
func (p Page) bounds(n int) (from, to int, err error) {
	if p.Invalid || p.Start < 0 || p.Start > n {
		return 0, 0, fail(ErrInvalidToken, "Invalid token")
	}
	return p.Start, min(p.Start+p.size(), n), nil
}

func (p Page) size() int {
	if p.Size <= 0 {
		return DefaultPageSize
	}
	return p.Size
}

// next is the Start of the page after [.., to) of n items, 0 at the end.
func next(to, n int) int {
	if to < n {
		return to
	}
	return 0
}
