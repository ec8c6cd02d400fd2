package aslgraph

import (
	"fmt"
	"html"
	"strings"
	"unicode/utf8"
)

// Status is what an execution did with a state; it becomes the state's
// CSS class "st-<status>".
type Status string

// The statuses a state is drawn with.
const (
	NotReached Status = "notreached"
	Running    Status = "running"
	Succeeded  Status = "succeeded"
	Failed     Status = "failed"
	Caught     Status = "caught"  // failed, and a Catcher moved on
	Retried    Status = "retried" // failed, then succeeded on a retry
)

// margin surrounds the whole drawing.
const margin = 24.0 // room above for a retry loop

// SVG renders a scope as an inline <svg> element. States absent from
// status are drawn NotReached. Names are escaped; the result is safe to
// embed in HTML.
func SVG(sc *Scope, status map[string]Status) string {
	l := lay(sc)
	var b strings.Builder
	fmt.Fprintf(&b, `<svg class="graph" xmlns="http://www.w3.org/2000/svg" width="%.0f" height="%.0f" viewBox="0 0 %.0f %.0f" role="img" aria-label="state machine graph">`,
		l.w+2*margin, l.h+2*margin, l.w+2*margin, l.h+2*margin)
	b.WriteString(`<defs><marker id="arrow" viewBox="0 0 10 10" refX="9" refY="5" markerWidth="7" markerHeight="7" orient="auto-start-reverse"><path d="M0 0L10 5L0 10z" class="arrowhead"/></marker></defs>`)
	drawScope(&b, l, margin, margin, status)
	b.WriteString(`</svg>`)
	return b.String()
}

func drawScope(b *strings.Builder, l *layout, ox, oy float64, status map[string]Status) {
	for _, n := range l.nodes {
		for _, e := range n.st.Edges {
			if t := l.byNm[e.To]; t != nil {
				drawEdge(b, l, n, t, e, ox, oy)
			}
		}
	}
	for _, n := range l.nodes {
		drawNode(b, n, ox, oy, status)
	}
}

func drawNode(b *strings.Builder, n *node, ox, oy float64, status map[string]Status) {
	st := status[n.st.Name]
	if st == "" {
		st = NotReached
	}
	x, y := ox+n.x, oy+n.y
	kind := "simple"
	if len(n.inner) > 0 {
		kind = "compound"
	}
	fmt.Fprintf(b, `<g class="state %s st-%s" data-state="%s" data-type="%s"><title>%s (%s): %s</title>`,
		kind, st, esc(n.st.Name), esc(n.st.Type), esc(n.st.Name), esc(n.st.Type), st)
	fmt.Fprintf(b, `<rect x="%.1f" y="%.1f" width="%.1f" height="%.1f" rx="6"/>`, x, y, n.w, n.h)
	ty := y + n.h/2 + 4
	if kind == "compound" {
		ty = y + 17
	}
	fmt.Fprintf(b, `<text x="%.1f" y="%.1f">%s</text>`, x+n.w/2, ty, esc(clip(n.st.Name, n.w)))
	if n.st.Retry > 0 {
		drawRetry(b, n, x, y)
	}
	b.WriteString(`</g>`)
	for _, p := range n.inner {
		fmt.Fprintf(b, `<g class="scope">`)
		drawScope(b, p.lay, x+p.dx, y+p.dy, status)
		b.WriteString(`</g>`)
	}
}

// drawRetry is a loop on the state's top-right corner.
func drawRetry(b *strings.Builder, n *node, x, y float64) {
	rx := x + n.w - 22
	fmt.Fprintf(b, `<path class="edge edge-retry" d="M%.1f %.1f C%.1f %.1f %.1f %.1f %.1f %.1f" marker-end="url(#arrow)"/>`,
		rx, y, rx-4, y-16, rx+26, y-16, rx+18, y)
	fmt.Fprintf(b, `<text class="edge-label retry-label" x="%.1f" y="%.1f">retry ×%d</text>`, rx+32, y-6, n.st.Retry)
}

// drawEdge goes down from the bottom of n to the top of t, or, for an
// edge that does not go down, around the right of both.
func drawEdge(b *strings.Builder, l *layout, n, t *node, e Edge, ox, oy float64) {
	var d string
	var lx, ly float64
	if t.y > n.y {
		x1, y1 := ox+n.x+n.w/2, oy+n.y+n.h
		x2, y2 := ox+t.x+t.w/2, oy+t.y
		d = fmt.Sprintf("M%.1f %.1fC%.1f %.1f %.1f %.1f %.1f %.1f", x1, y1, x1, y1+24, x2, y2-24, x2, y2)
		lx, ly = (x1+x2)/2, (y1+y2)/2+4
	} else {
		x1, y1 := ox+n.x+n.w, oy+n.y+n.h/2
		x2, y2 := ox+t.x+t.w, oy+t.y+t.h/2
		side := ox + max(n.x+n.w, t.x+t.w) + sideRoom - 8
		d = fmt.Sprintf("M%.1f %.1fC%.1f %.1f %.1f %.1f %.1f %.1f", x1, y1, side, y1, side, y2, x2, y2)
		lx, ly = side-4, (y1+y2)/2
	}
	fmt.Fprintf(b, `<path class="edge edge-%s" d="%s" marker-end="url(#arrow)"/>`, e.Kind, d)
	if e.Label != "" {
		fmt.Fprintf(b, `<text class="edge-label label-%s" x="%.1f" y="%.1f">%s</text>`, e.Kind, lx+4, ly, esc(clip(e.Label, 150)))
	}
}

// clip shortens s to what fits in width w.
func clip(s string, w float64) string {
	maxRunes := int((w - 16) / charW)
	if utf8.RuneCountInString(s) <= maxRunes || maxRunes < 2 {
		return s
	}
	return string([]rune(s)[:maxRunes-1]) + "…"
}

func esc(s string) string { return html.EscapeString(s) }
