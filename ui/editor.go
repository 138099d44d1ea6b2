package ui

import (
	"slices"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"

	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"
	"charm.land/lipgloss/v2"
	"github.com/charmbracelet/x/ansi"
)

// The editor is written here rather than built on bubbles' textarea:
// textarea renders its own lines with one style, so there is no way to
// colour tokens or underline a diagnostic's range, and its soft wrapping
// would put byte offsets from the lexer and checker out of reach. A query
// editor needs little of the rest (no wrapping, no placeholder), so a
// small line-based buffer is simpler than wrapping textarea's output.

// editor is the query editor: lines of text, a cursor, scrolling, undo,
// and the colours and diagnostics of the current text.
type editor struct {
	lines    []string
	row, col int // cursor; col counts runes
	top      int // first visible line
	left     int // first visible display column of the text
	w, h     int // size of the text area, gutter included

	version int // rises on every change of the text
	spans   [][]span
	diags   []Diagnostic
	diagAt  [][]span // per line: underlined byte ranges
	diagEnd []bool   // per line: a finding at the line's end

	undo, redo []snapshot
	lastEdit   editKind
}

type snapshot struct {
	lines    []string
	row, col int
}

type editKind uint8

const (
	editNone editKind = iota
	editInsert
	editDelete
	editOther
)

const maxUndo = 1000

func newEditor(text string) *editor {
	e := &editor{}
	e.setText(text)
	e.lastEdit = editNone
	e.undo = nil
	return e
}

// Text returns the query as one string.
func (e *editor) Text() string { return strings.Join(e.lines, "\n") }

// setText replaces the whole text as one undoable edit and puts the
// cursor at the end.
func (e *editor) setText(s string) {
	e.begin(editOther)
	// The old findings and scroll belong to the old text; the checker
	// sends new findings shortly.
	e.diags, e.top, e.left = nil, 0, 0
	e.lines = strings.Split(normalize(s), "\n")
	e.row = len(e.lines) - 1
	e.col = len([]rune(e.lines[e.row]))
	e.changed()
}

// normalize turns pasted or loaded text into editor lines: CRLF and CR
// become LF, tabs become four spaces, other control characters go.
func normalize(s string) string {
	s = strings.ReplaceAll(s, "\r\n", "\n")
	s = strings.ReplaceAll(s, "\r", "\n")
	s = strings.ReplaceAll(s, "\t", "    ")
	return strings.Map(func(r rune) rune {
		if r != '\n' && (unicode.IsControl(r)) {
			return -1
		}
		return r
	}, s)
}

// begin records an undo step unless this edit continues the last one of
// the same kind, so that typing a word undoes as one step.
func (e *editor) begin(kind editKind) {
	if kind != e.lastEdit || kind == editOther {
		e.undo = append(e.undo, e.snap())
		if len(e.undo) > maxUndo {
			e.undo = e.undo[len(e.undo)-maxUndo:]
		}
	}
	e.lastEdit = kind
	e.redo = nil
}

func (e *editor) snap() snapshot {
	return snapshot{lines: append([]string(nil), e.lines...),
		row: e.row, col: e.col}
}

func (e *editor) restore(s snapshot) {
	e.lines, e.row, e.col = s.lines, s.row, s.col
	e.lastEdit = editNone
	e.changed()
}

func (e *editor) undoEdit() {
	if len(e.undo) == 0 {
		return
	}
	e.redo = append(e.redo, e.snap())
	s := e.undo[len(e.undo)-1]
	e.undo = e.undo[:len(e.undo)-1]
	e.restore(s)
}

func (e *editor) redoEdit() {
	if len(e.redo) == 0 {
		return
	}
	e.undo = append(e.undo, e.snap())
	s := e.redo[len(e.redo)-1]
	e.redo = e.redo[:len(e.redo)-1]
	e.restore(s)
}

// changed re-colours the text after an edit; the checker runs later, on
// the version this bumps.
func (e *editor) changed() {
	e.version++
	e.spans = splitSpans(e.lines, highlight(e.Text()))
	e.setDiagnostics(e.diags)
	e.scroll()
}

// insert types s at the cursor; s may hold newlines.
func (e *editor) insert(s string) {
	s = normalize(s)
	if s == "" {
		return
	}
	switch {
	case s == " ":
		// A space starts the next word's undo step.
		e.begin(editOther)
		e.lastEdit = editInsert
	case strings.Contains(s, "\n") || len([]rune(s)) > 1:
		e.begin(editOther) // a new line or a paste is its own step
	default:
		e.begin(editInsert)
	}
	line := []rune(e.lines[e.row])
	before, after := string(line[:e.col]), string(line[e.col:])
	parts := strings.Split(s, "\n")
	parts[0] = before + parts[0]
	last := len(parts) - 1
	e.col = len([]rune(parts[last]))
	parts[last] += after
	e.lines = append(e.lines[:e.row],
		append(parts, e.lines[e.row+1:]...)...)
	e.row += last
	e.changed()
}

func (e *editor) deleteBack() {
	if e.col == 0 && e.row == 0 {
		return
	}
	e.begin(editDelete)
	if e.col == 0 {
		prev := e.lines[e.row-1]
		e.col = len([]rune(prev))
		e.lines[e.row-1] = prev + e.lines[e.row]
		e.lines = append(e.lines[:e.row], e.lines[e.row+1:]...)
		e.row--
	} else {
		line := []rune(e.lines[e.row])
		e.lines[e.row] = string(line[:e.col-1]) + string(line[e.col:])
		e.col--
	}
	e.changed()
}

func (e *editor) deleteNext() {
	line := []rune(e.lines[e.row])
	if e.col == len(line) && e.row == len(e.lines)-1 {
		return
	}
	e.begin(editDelete)
	if e.col == len(line) {
		e.lines[e.row] += e.lines[e.row+1]
		e.lines = append(e.lines[:e.row+1], e.lines[e.row+2:]...)
	} else {
		e.lines[e.row] = string(line[:e.col]) + string(line[e.col+1:])
	}
	e.changed()
}

func (e *editor) deleteToLineEnd() {
	line := []rune(e.lines[e.row])
	if e.col == len(line) {
		e.deleteNext()
		return
	}
	e.begin(editOther)
	e.lines[e.row] = string(line[:e.col])
	e.changed()
}

func (e *editor) deleteToLineStart() {
	if e.col == 0 {
		return
	}
	e.begin(editOther)
	e.lines[e.row] = string([]rune(e.lines[e.row])[e.col:])
	e.col = 0
	e.changed()
}

// move puts the cursor at row, col, clamped to the text.
func (e *editor) move(row, col int) {
	e.row = min(max(row, 0), len(e.lines)-1)
	e.col = min(max(col, 0), len([]rune(e.lines[e.row])))
	e.lastEdit = editNone
	e.scroll()
}

// moveToOffset puts the cursor at byte offset pos of the text, as the
// checker counts positions.
func (e *editor) moveToOffset(pos int) {
	for i, l := range e.lines {
		if pos <= len(l) || i == len(e.lines)-1 {
			pos = min(max(pos, 0), len(l))
			e.move(i, utf8.RuneCountInString(l[:pos]))
			return
		}
		pos -= len(l) + 1
	}
}

func (e *editor) moveLeft() {
	if e.col == 0 && e.row > 0 {
		e.move(e.row-1, len([]rune(e.lines[e.row-1])))
		return
	}
	e.move(e.row, e.col-1)
}

func (e *editor) moveRight() {
	if e.col == len([]rune(e.lines[e.row])) &&
		e.row < len(e.lines)-1 {
		e.move(e.row+1, 0)
		return
	}
	e.move(e.row, e.col+1)
}

// wordLeft and wordRight jump over one word and the spaces before it.
func (e *editor) wordLeft() {
	line := []rune(e.lines[e.row])
	c := e.col
	if c == 0 {
		e.moveLeft()
		return
	}
	for c > 0 && !isWord(line[c-1]) {
		c--
	}
	for c > 0 && isWord(line[c-1]) {
		c--
	}
	e.move(e.row, c)
}

func (e *editor) wordRight() {
	line := []rune(e.lines[e.row])
	c := e.col
	if c == len(line) {
		e.moveRight()
		return
	}
	for c < len(line) && !isWord(line[c]) {
		c++
	}
	for c < len(line) && isWord(line[c]) {
		c++
	}
	e.move(e.row, c)
}

// indent is the leading space of the cursor's line, which a new line
// keeps.
func (e *editor) indent() string {
	line := e.lines[e.row]
	return line[:len(line)-len(strings.TrimLeft(line, " "))]
}

func isWord(r rune) bool {
	return r == '_' || unicode.IsLetter(r) || unicode.IsDigit(r)
}

// handleKey applies one key press; handled is false for keys the editor
// does not use.
func (e *editor) handleKey(msg tea.KeyPressMsg, k EditorKeys) bool {
	page := max(e.h-1, 1)
	switch {
	case key.Matches(msg, k.Up):
		e.move(e.row-1, e.col)
	case key.Matches(msg, k.Down):
		e.move(e.row+1, e.col)
	case key.Matches(msg, k.Left):
		e.moveLeft()
	case key.Matches(msg, k.Right):
		e.moveRight()
	case key.Matches(msg, k.WordLeft):
		e.wordLeft()
	case key.Matches(msg, k.WordRight):
		e.wordRight()
	case key.Matches(msg, k.LineStart):
		e.move(e.row, 0)
	case key.Matches(msg, k.LineEnd):
		e.move(e.row, len([]rune(e.lines[e.row])))
	case key.Matches(msg, k.PageUp):
		e.move(e.row-page, e.col)
	case key.Matches(msg, k.PageDown):
		e.move(e.row+page, e.col)
	case key.Matches(msg, k.Top):
		e.move(0, 0)
	case key.Matches(msg, k.Bottom):
		e.move(len(e.lines)-1, len([]rune(e.lines[len(e.lines)-1])))
	case key.Matches(msg, k.Newline):
		e.insert("\n" + e.indent())
	case key.Matches(msg, k.DeleteBack):
		e.deleteBack()
	case key.Matches(msg, k.DeleteNext):
		e.deleteNext()
	case key.Matches(msg, k.DeleteToLineEnd):
		e.deleteToLineEnd()
	case key.Matches(msg, k.DeleteToLineStart):
		e.deleteToLineStart()
	case key.Matches(msg, k.Undo):
		e.undoEdit()
	case key.Matches(msg, k.Redo):
		e.redoEdit()
	case isText(msg):
		e.insert(msg.Text)
	default:
		return false
	}
	return true
}

// isText reports whether a key press types text rather than a command.
func isText(msg tea.KeyPressMsg) bool {
	return msg.Text != "" &&
		msg.Mod&^(tea.ModShift|tea.ModCapsLock|tea.ModNumLock) == 0
}

// setSize sets the editor's area, gutter included.
func (e *editor) setSize(w, h int) {
	e.w, e.h = max(w, 1), max(h, 1)
	e.scroll()
}

func (e *editor) gutterWidth() int {
	return len(strconv.Itoa(len(e.lines))) + 2
}

func (e *editor) textWidth() int { return max(e.w-e.gutterWidth(), 1) }

// scroll keeps the cursor inside the visible area.
func (e *editor) scroll() {
	if e.h <= 0 {
		return
	}
	// No blank space below the last line while earlier lines are
	// hidden, as after growing the window.
	e.top = min(e.top, max(len(e.lines)-e.h, 0))
	if e.row < e.top {
		e.top = e.row
	}
	if e.row >= e.top+e.h {
		e.top = e.row - e.h + 1
	}
	x := e.cursorColumn()
	tw := e.textWidth()
	if x < e.left || x < tw {
		// Scroll back as far as the cursor allows: a line that fits
		// shows from its start.
		e.left = max(x-tw+1, 0)
	}
	if x >= e.left+tw {
		e.left = x - tw + 1
	}
}

// cursorColumn is the cursor's display column within its line.
func (e *editor) cursorColumn() int {
	line := []rune(e.lines[e.row])
	return ansi.StringWidth(string(line[:e.col]))
}

// click moves the cursor to the character at x, y of the editor area.
func (e *editor) click(x, y int) {
	row := e.top + y
	if row >= len(e.lines) {
		row = len(e.lines) - 1
	}
	target := x - e.gutterWidth() + e.left
	col, w := 0, 0
	for _, r := range e.lines[row] {
		rw := ansi.StringWidth(string(r))
		if w+rw > target {
			break
		}
		w += rw
		col++
	}
	e.move(row, col)
}

// cursor returns the cursor's screen offset inside the editor area.
func (e *editor) cursor() (x, y int) {
	return e.gutterWidth() + e.cursorColumn() - e.left, e.row - e.top
}

// view renders the visible lines with line numbers, colours and
// underlined diagnostics.
func (e *editor) view(st *Styles) []string {
	gw := e.gutterWidth()
	out := make([]string, 0, e.h)
	for i := e.top; i < len(e.lines) && i < e.top+e.h; i++ {
		num := strconv.Itoa(i + 1)
		gs := st.Gutter
		mark := " "
		if len(e.diagAt[i]) > 0 || e.diagEnd[i] {
			gs, mark = st.GutterDiag, "!"
		}
		gutter := gs.Render(strings.Repeat(" ", gw-2-len(num)) + num +
			mark)
		text := e.renderLine(i, st)
		text = ansi.Cut(text, e.left, e.left+e.textWidth())
		out = append(out, gutter+" "+text)
	}
	return out
}

// renderLine styles line i by its tokens and diagnostics.
func (e *editor) renderLine(i int, st *Styles) string {
	s := e.styleText(i, st)
	if e.diagEnd[i] {
		// A finding past the last character, such as a missing
		// expression, underlines the space after it.
		s += st.Underline.Render(" ")
	}
	return s
}

// styleText colours line i's tokens and underlines its findings.
func (e *editor) styleText(i int, st *Styles) string {
	line := e.lines[i]
	if line == "" || (len(e.spans[i]) == 0 && len(e.diagAt[i]) == 0) {
		return line
	}
	kinds := make([]tokenKind, len(line))
	for _, s := range e.spans[i] {
		for b := s.Pos; b < s.Pos+s.Len && b < len(line); b++ {
			kinds[b] = s.Kind
		}
	}
	under := make([]bool, len(line))
	for _, s := range e.diagAt[i] {
		for b := s.Pos; b < s.Pos+s.Len && b < len(line); b++ {
			under[b] = true
		}
	}
	var b strings.Builder
	start := 0
	for j := 1; j <= len(line); j++ {
		if j < len(line) && kinds[j] == kinds[start] &&
			under[j] == under[start] {
			continue
		}
		style := st.Tokens[kinds[start]]
		if under[start] {
			style = style.Inherit(st.Underline)
		}
		b.WriteString(renderSpan(style, line[start:j]))
		start = j
	}
	return b.String()
}

// renderSpan skips lipgloss for unstyled text, the common case.
func renderSpan(s lipgloss.Style, text string) string {
	if s.String() == "" && !s.GetBold() && !s.GetUnderline() &&
		s.GetForeground() == nil {
		return text
	}
	return s.Render(text)
}

// splitSpans assigns spans of the whole text to lines, as byte offsets
// within each line; a span over a line break is cut at it.
func splitSpans(lines []string, spans []span) [][]span {
	out := make([][]span, len(lines))
	start, li := 0, 0
	for _, s := range spans {
		end := s.Pos + s.Len
		for li < len(lines) && s.Pos > start+len(lines[li]) {
			start += len(lines[li]) + 1
			li++
		}
		for l, ls := li, start; l < len(lines) && ls < end; l++ {
			from := max(s.Pos, ls) - ls
			to := min(end, ls+len(lines[l])) - ls
			if to > from {
				out[l] = append(out[l],
					span{Kind: s.Kind, Pos: from, Len: to - from})
			}
			ls += len(lines[l]) + 1
		}
	}
	return out
}

// setDiagnostics places the checker's findings on lines. A finding with
// no range marks one character.
func (e *editor) setDiagnostics(d []Diagnostic) {
	e.diags = d
	ranges := make([]span, 0, len(d))
	for _, x := range d {
		n := max(x.End-x.Pos, 1)
		ranges = append(ranges, span{Pos: x.Pos, Len: n})
	}
	slices.SortFunc(ranges, func(a, b span) int { return a.Pos - b.Pos })
	e.diagAt = splitSpans(e.lines, ranges)
	e.diagEnd = make([]bool, len(e.lines))
	start := 0
	for i, l := range e.lines {
		end := start + len(l)
		for _, r := range ranges {
			if r.Pos == end {
				e.diagEnd[i] = true
			}
		}
		start = end + 1
	}
}

// diagnosticAtCursor returns the first finding on the cursor's line.
func (e *editor) diagnosticAtCursor() (Diagnostic, bool) {
	start := 0
	for i := 0; i < e.row; i++ {
		start += len(e.lines[i]) + 1
	}
	end := start + len(e.lines[e.row])
	for _, d := range e.diags {
		if d.Pos <= end && max(d.End, d.Pos+1) > start {
			return d, true
		}
	}
	return Diagnostic{}, false
}
