package ui

import (
	"fmt"
	"strings"

	"charm.land/bubbles/v2/key"
	"github.com/charmbracelet/x/ansi"
)

// KeyMap is every key binding of the workbench, grouped by where it
// works. The defaults and the user's overrides live in the program's
// keymap.go; the UI only matches against what it is given.
type KeyMap struct {
	Global GlobalKeys
	Editor EditorKeys
	Grid   GridKeys
	List   ListKeys
	Form   FormKeys
}

// GlobalKeys work everywhere unless an overlay or prompt takes them.
type GlobalKeys struct {
	RunQuery     key.Binding
	Cancel       key.Binding // cancel a run or close an overlay
	Interrupt    key.Binding // cancel a run, else quit
	Quit         key.Binding
	FocusNext    key.Binding
	FocusPrev    key.Binding
	History      key.Binding
	SavedQueries key.Binding
	SaveQuery    key.Binding
	Help         key.Binding
}

// EditorKeys edit the query; the one-line text boxes of prompts and
// forms move and delete with them too.
type EditorKeys struct {
	Up, Down, Left, Right  key.Binding
	WordLeft, WordRight    key.Binding
	LineStart, LineEnd     key.Binding
	PageUp, PageDown       key.Binding
	Top, Bottom            key.Binding
	Newline                key.Binding
	DeleteBack, DeleteNext key.Binding
	DeleteToLineStart      key.Binding
	DeleteToLineEnd        key.Binding
	Undo, Redo             key.Binding
	ExternalEditor         key.Binding
	Grow, Shrink           key.Binding
}

// GridKeys move around and act on the result grid; the detail view and
// the help overlay scroll with the movement keys too.
type GridKeys struct {
	Up, Down, Left, Right   key.Binding
	PageUp, PageDown        key.Binding
	FirstPage, LastPage     key.Binding
	FirstColumn, LastColumn key.Binding
	Search                  key.Binding
	SearchNext, SearchPrev  key.Binding
	Sort                    key.Binding
	HideColumn, ShowColumns key.Binding
	Detail                  key.Binding
	CopyCell, CopyRow       key.Binding
	Export                  key.Binding
}

// ListKeys work in the history and saved-query browsers.
type ListKeys struct {
	Up, Down   key.Binding
	Load       key.Binding // into the editor
	OpenResult key.Binding // the cached result, without an API call
	Rename     key.Binding
	Delete     key.Binding
}

// FormKeys work in the save dialog and one-line prompts.
type FormKeys struct {
	Next, Prev key.Binding
	Submit     key.Binding
}

// shortHelp is the footer for the focused pane or open overlay.
func (m *Model) shortHelp() []key.Binding {
	k := m.keys
	switch m.overlay {
	case overlayHistory:
		return []key.Binding{k.List.Load, k.Global.RunQuery,
			k.List.OpenResult, k.Global.Cancel}
	case overlaySaved:
		return []key.Binding{k.List.Load, k.Global.RunQuery,
			k.List.Rename, k.List.Delete, k.Global.Cancel}
	case overlayDetail:
		toggle := k.Grid.Detail
		toggle.SetHelp(toggle.Help().Key, "cell/row")
		return []key.Binding{toggle, k.Grid.CopyCell, k.Grid.CopyRow,
			k.Global.Cancel}
	case overlayHelp:
		return []key.Binding{k.Global.Cancel}
	case overlaySave:
		return []key.Binding{k.Form.Next, k.Form.Submit, k.Global.Cancel}
	}
	if m.prompt != nil && m.prompt.kind == promptOverwrite {
		return []key.Binding{k.Global.Cancel}
	}
	if m.prompt != nil {
		return []key.Binding{k.Form.Submit, k.Global.Cancel}
	}
	common := []key.Binding{k.Global.RunQuery, k.Global.FocusNext,
		k.Global.History, k.Global.SavedQueries, k.Global.Help}
	if m.focus == focusGrid {
		return append([]key.Binding{k.Grid.Sort, k.Grid.Search,
			k.Grid.Detail, k.Grid.CopyCell, k.Grid.Export}, common...)
	}
	return append(common, k.Global.SaveQuery, k.Editor.ExternalEditor)
}

// helpGroup is one titled column of the help overlay.
type helpGroup struct {
	title    string
	bindings []key.Binding
}

// fullHelp is every group of keys, for the help overlay.
func (m *Model) fullHelp() []helpGroup {
	k := m.keys
	g, e, r, l := k.Global, k.Editor, k.Grid, k.List
	return []helpGroup{
		{"Everywhere", []key.Binding{g.RunQuery, g.Cancel, g.Interrupt,
			g.Quit, g.FocusNext, g.FocusPrev, g.History, g.SavedQueries,
			g.SaveQuery, g.Help}},
		{"Editor", []key.Binding{e.Undo, e.Redo, e.ExternalEditor, e.Grow,
			e.Shrink, e.WordLeft, e.WordRight, e.LineStart, e.LineEnd,
			e.DeleteToLineStart, e.DeleteToLineEnd}},
		{"Grid", []key.Binding{r.Up, r.Down, r.Left, r.Right, r.PageUp,
			r.PageDown, r.FirstPage, r.LastPage, r.FirstColumn,
			r.LastColumn}},
		{"Grid actions", []key.Binding{r.Search, r.SearchNext,
			r.SearchPrev, r.Sort, r.HideColumn, r.ShowColumns, r.Detail,
			r.CopyCell, r.CopyRow, r.Export}},
		{"History and saved queries", []key.Binding{l.Load, l.OpenResult,
			l.Rename, l.Delete}},
	}
}

// helpLines is the help overlay's text: the keys, then how running and
// quitting guard against losing quota or a query.
func (m *Model) helpLines() []string {
	g := m.keys.Global
	lines := helpView(&m.styles, m.fullHelp(), m.w)
	notes := []string{
		fmt.Sprintf("A query the local check finds errors in is not "+
			"sent; %s again within %s sends it anyway.",
			g.RunQuery.Help().Key, shortDuration(forceWindow)),
		fmt.Sprintf("%s quits at once when the query was run or saved; "+
			"otherwise it asks first. %s always quits at once.",
			g.Interrupt.Help().Key, g.Quit.Help().Key),
	}
	for _, n := range notes {
		wrapped := ansi.Wrap(n, max(m.w, 1), "")
		lines = append(lines, strings.Split(wrapped, "\n")...)
	}
	return lines
}

// helpView lays the groups out as columns, starting a new row of
// columns where the width runs out, so every key shows at any width.
func helpView(st *Styles, groups []helpGroup, w int) []string {
	var out, row []string
	rowWidth := 0
	flush := func() {
		out = append(out, row...)
		if len(row) > 0 {
			out = append(out, "")
		}
		row, rowWidth = nil, 0
	}
	for _, g := range groups {
		block := helpBlock(st, g)
		bw := 0
		for _, l := range block {
			bw = max(bw, ansi.StringWidth(l))
		}
		if rowWidth > 0 && rowWidth+3+bw > w {
			flush()
		}
		row = sideBySide(row, block, rowWidth)
		rowWidth += bw + 3
	}
	flush()
	return out
}

// helpBlock is a group's title over every key of each action and what
// it does; unbound actions are left out.
func helpBlock(st *Styles, g helpGroup) []string {
	kw := 0
	for _, b := range g.bindings {
		kw = max(kw, ansi.StringWidth(allKeys(b)))
	}
	lines := []string{st.Header.Render(g.title)}
	for _, b := range g.bindings {
		if !b.Enabled() || len(b.Keys()) == 0 {
			continue
		}
		lines = append(lines, fit(allKeys(b), kw)+"  "+
			st.Help.Render(b.Help().Desc))
	}
	return lines
}

// allKeys lists a binding's keys: "f5, ctrl+r".
func allKeys(b key.Binding) string {
	return strings.Join(b.Keys(), ", ")
}

// sideBySide puts block to the right of left, whose lines are padded to
// width offset plus a gap.
func sideBySide(left, block []string, offset int) []string {
	n := max(len(left), len(block))
	out := make([]string, n)
	for i := range n {
		l := ""
		if i < len(left) {
			l = left[i]
		}
		if offset > 0 {
			l = fit(l, offset)
		}
		if i < len(block) {
			l += block[i]
		}
		out[i] = l
	}
	return out
}
