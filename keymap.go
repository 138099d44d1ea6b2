package main

import (
	"fmt"
	"slices"
	"strings"
	"unicode/utf8"

	"charm.land/bubbles/v2/key"

	"github.com/ahunt/ahunt/ui"
)

// bind is a binding whose help shows its first key.
func bind(desc string, keys ...string) key.Binding {
	return key.NewBinding(key.WithKeys(keys...),
		key.WithHelp(keys[0], desc))
}

// defaultKeyMap returns every default key binding of the workbench. Keys
// are written as Bubble Tea names them: "ctrl+r", "f5", "shift+tab",
// "pgdown", or the character typed ("?", "G").
func defaultKeyMap() ui.KeyMap {
	return ui.KeyMap{
		Global: ui.GlobalKeys{
			// ctrl+enter and shift+enter reach the program only where
			// the terminal reports them; f5 and ctrl+r always do.
			RunQuery: bind("run", "f5", "ctrl+r", "ctrl+enter",
				"shift+enter"),
			Cancel:       bind("cancel/close", "esc"),
			Interrupt:    bind("cancel run/quit", "ctrl+c"),
			Quit:         bind("quit", "ctrl+q"),
			FocusNext:    bind("next pane", "tab"),
			FocusPrev:    bind("previous pane", "shift+tab"),
			History:      bind("history", "f8"),
			SavedQueries: bind("saved queries", "f2"),
			SaveQuery:    bind("save query", "ctrl+s"),
			Help:         bind("help", "f1", "?"),
		},
		Editor: ui.EditorKeys{
			Up:    bind("up", "up"),
			Down:  bind("down", "down"),
			Left:  bind("left", "left"),
			Right: bind("right", "right"),
			WordLeft: bind("word left", "alt+left", "ctrl+left",
				"alt+b"),
			WordRight: bind("word right", "alt+right", "ctrl+right",
				"alt+f"),
			LineStart:         bind("line start", "home", "ctrl+a"),
			LineEnd:           bind("line end", "end", "ctrl+e"),
			PageUp:            bind("page up", "pgup"),
			PageDown:          bind("page down", "pgdown"),
			Top:               bind("start of query", "ctrl+home"),
			Bottom:            bind("end of query", "ctrl+end"),
			Newline:           bind("new line", "enter"),
			DeleteBack:        bind("delete back", "backspace", "ctrl+h"),
			DeleteNext:        bind("delete", "delete", "ctrl+d"),
			DeleteToLineEnd:   bind("delete to line end", "ctrl+k"),
			DeleteToLineStart: bind("delete to line start", "ctrl+u"),
			Undo:              bind("undo", "ctrl+z"),
			Redo:              bind("redo", "ctrl+y"),
			ExternalEditor:    bind("$EDITOR", "alt+e"),
			Grow:              bind("taller editor", "alt+down"),
			Shrink:            bind("shorter editor", "alt+up"),
		},
		Grid: ui.GridKeys{
			Up:          bind("up", "up", "k"),
			Down:        bind("down", "down", "j"),
			Left:        bind("left", "left", "h"),
			Right:       bind("right", "right", "l"),
			PageUp:      bind("previous page", "pgup", "ctrl+b"),
			PageDown:    bind("next page", "pgdown", "ctrl+f", "space"),
			FirstPage:   bind("first page", "home", "g"),
			LastPage:    bind("last page", "end", "G"),
			FirstColumn: bind("first column", "0", "^"),
			LastColumn:  bind("last column", "$"),
			Search:      bind("search", "/"),
			SearchNext:  bind("next match", "n"),
			SearchPrev:  bind("previous match", "N"),
			Sort:        bind("sort", "s"),
			HideColumn:  bind("hide column", "-"),
			ShowColumns: bind("show all columns", "+"),
			Detail:      bind("detail", "enter"),
			CopyCell:    bind("copy cell", "y"),
			CopyRow:     bind("copy row", "Y"),
			Export:      bind("export", "e"),
		},
		List: ui.ListKeys{
			Up:         bind("up", "up", "ctrl+p"),
			Down:       bind("down", "down", "ctrl+n"),
			Load:       bind("load", "enter"),
			OpenResult: bind("open cached result", "ctrl+o"),
			Rename:     bind("rename", "f2"),
			Delete:     bind("delete", "ctrl+d"),
		},
		Form: ui.FormKeys{
			Next:   bind("next field", "tab", "down"),
			Prev:   bind("previous field", "shift+tab", "up"),
			Submit: bind("ok", "enter"),
		},
	}
}

// keyActions names every binding of km as the config file spells it.
func keyActions(km *ui.KeyMap) map[string]*key.Binding {
	g, e, r, l, f := &km.Global, &km.Editor, &km.Grid, &km.List, &km.Form
	return map[string]*key.Binding{
		"run_query": &g.RunQuery, "cancel": &g.Cancel,
		"interrupt": &g.Interrupt, "quit": &g.Quit,
		"focus_next": &g.FocusNext, "focus_prev": &g.FocusPrev,
		"history": &g.History, "saved_queries": &g.SavedQueries,
		"save_query": &g.SaveQuery, "help": &g.Help,

		"editor_up": &e.Up, "editor_down": &e.Down,
		"editor_left": &e.Left, "editor_right": &e.Right,
		"editor_word_left": &e.WordLeft, "editor_word_right": &e.WordRight,
		"editor_line_start": &e.LineStart, "editor_line_end": &e.LineEnd,
		"editor_page_up": &e.PageUp, "editor_page_down": &e.PageDown,
		"editor_top": &e.Top, "editor_bottom": &e.Bottom,
		"editor_newline": &e.Newline, "editor_delete_back": &e.DeleteBack,
		"editor_delete_next":          &e.DeleteNext,
		"editor_delete_to_line_end":   &e.DeleteToLineEnd,
		"editor_delete_to_line_start": &e.DeleteToLineStart,
		"editor_undo":                 &e.Undo, "editor_redo": &e.Redo,
		"editor_external": &e.ExternalEditor,
		"editor_grow":     &e.Grow, "editor_shrink": &e.Shrink,

		"grid_up": &r.Up, "grid_down": &r.Down, "grid_left": &r.Left,
		"grid_right": &r.Right, "grid_page_up": &r.PageUp,
		"grid_page_down": &r.PageDown, "grid_first_page": &r.FirstPage,
		"grid_last_page": &r.LastPage, "grid_first_column": &r.FirstColumn,
		"grid_last_column": &r.LastColumn, "grid_search": &r.Search,
		"grid_search_next": &r.SearchNext, "grid_search_prev": &r.SearchPrev,
		"grid_sort": &r.Sort, "grid_hide_column": &r.HideColumn,
		"grid_show_columns": &r.ShowColumns, "grid_detail": &r.Detail,
		"grid_copy_cell": &r.CopyCell, "grid_copy_row": &r.CopyRow,
		"grid_export": &r.Export,

		"list_up": &l.Up, "list_down": &l.Down, "list_load": &l.Load,
		"list_open_result": &l.OpenResult, "list_rename": &l.Rename,
		"list_delete": &l.Delete,

		"form_next": &f.Next, "form_prev": &f.Prev, "form_submit": &f.Submit,
	}
}

// applyKeyOverrides rebinds the actions named in overrides, as read from
// the config file's [keys] table: "run_query" = ["f5", "ctrl+r"]. An
// unknown action, an empty key list, a key Bubble Tea never reports, or
// a key bound to two actions that work in the same place is an error,
// and km is left unchanged. Errors leave the "keys" context to the
// caller, which names the file.
func applyKeyOverrides(km *ui.KeyMap, overrides map[string][]string) error {
	next := *km
	actions := keyActions(&next)
	names := make([]string, 0, len(overrides))
	for name := range overrides {
		names = append(names, name)
	}
	slices.Sort(names)
	for _, name := range names {
		b, ok := actions[name]
		if !ok {
			return fmt.Errorf("unknown action %q", name)
		}
		keys := overrides[name]
		if len(keys) == 0 {
			return fmt.Errorf("%s: no keys: every action needs at "+
				"least one", name)
		}
		for _, k := range keys {
			if err := checkKey(k); err != nil {
				return fmt.Errorf("%s: %w", name, err)
			}
		}
		*b = key.NewBinding(key.WithKeys(keys...),
			key.WithHelp(keys[0], b.Help().Desc))
	}
	if err := checkConflicts(actions); err != nil {
		return err
	}
	*km = next
	return nil
}

// keyScopes are the places of the workbench, each with the prefixes of
// the actions whose keys are matched there side by side. The one-line
// inputs of lists and forms edit with editor keys, but the list's and
// form's own keys come first there by design, so they are not a scope.
var keyScopes = []struct {
	place    string
	prefixes []string
}{
	{"the editor", []string{"", "editor_"}},
	{"the grid", []string{"", "grid_"}},
	{"history and saved queries", []string{"list_", "run_query",
		"cancel", "interrupt"}},
	{"forms", []string{"form_", "cancel", "interrupt"}},
}

// isGlobal reports whether an action has no place prefix: such actions
// work everywhere.
func isGlobal(name string) bool {
	for _, p := range []string{"editor_", "grid_", "list_", "form_"} {
		if strings.HasPrefix(name, p) {
			return false
		}
	}
	return true
}

// checkConflicts reports the first key bound to two actions that work
// in the same place, in a stable order.
func checkConflicts(actions map[string]*key.Binding) error {
	names := make([]string, 0, len(actions))
	for name := range actions {
		names = append(names, name)
	}
	slices.Sort(names)
	for _, sc := range keyScopes {
		owner := map[string]string{}
		for _, name := range names {
			if !inScope(name, sc.prefixes) {
				continue
			}
			for _, k := range actions[name].Keys() {
				if other, ok := owner[k]; ok && other != name {
					return fmt.Errorf("%q is bound to both %s and %s, "+
						"which both work in %s", k, other, name, sc.place)
				}
				owner[k] = name
			}
		}
	}
	return nil
}

// inScope reports whether action name belongs to a scope: "" stands for
// the global actions, an entry ending in "_" for a prefix, any other
// for one action.
func inScope(name string, prefixes []string) bool {
	for _, p := range prefixes {
		switch {
		case p == "":
			if isGlobal(name) {
				return true
			}
		case strings.HasSuffix(p, "_"):
			if strings.HasPrefix(name, p) {
				return true
			}
		case name == p:
			return true
		}
	}
	return false
}

// modifierOrder is the order Bubble Tea writes modifiers in; a key
// written in another order would never match.
var modifierOrder = []string{"ctrl", "alt", "shift", "meta", "hyper", "super"}

// namedKeys are the keys Bubble Tea reports by name (the keypad's
// keys report as their main-keyboard twins).
var namedKeys = func() map[string]bool {
	m := map[string]bool{}
	for _, k := range strings.Fields("enter tab backspace esc space up " +
		"down left right begin find insert delete select pgup pgdown " +
		"home end comma div equal minus mul period plus sep " +
		"capslock scrolllock numlock printscreen pause menu " +
		"mute lowervol raisevol mediaplay mediapause mediaplaypause " +
		"mediastop medianext mediaprev mediarewind mediafastforward " +
		"mediarecord mediareverse") {
		m[k] = true
	}
	for i := 1; i <= 63; i++ {
		m[fmt.Sprintf("f%d", i)] = true
	}
	return m
}()

// checkKey reports why k is not a key string Bubble Tea reports: a
// character ("?", "G"), a named key ("f5", "pgdown"), or either after
// modifiers in Bubble Tea's order ("ctrl+shift+up").
func checkKey(k string) error {
	if utf8.RuneCountInString(k) == 1 {
		if k == " " {
			return fmt.Errorf("%q is not a key: write \"space\"", k)
		}
		return nil
	}
	parts := strings.Split(k, "+")
	base := parts[len(parts)-1]
	if base == "" && strings.HasSuffix(k, "++") {
		parts, base = parts[:len(parts)-1], "+" // as in "ctrl++"
		parts[len(parts)-1] = "+"
	}
	mods := parts[:len(parts)-1]
	last := -1
	for _, mod := range mods {
		i := slices.Index(modifierOrder, mod)
		if i < 0 {
			return fmt.Errorf("%q is not a key: unknown modifier %q "+
				"(want ctrl, alt, shift, meta, hyper or super)", k, mod)
		}
		if i <= last {
			return fmt.Errorf("%q is not a key: write modifiers in the "+
				"order ctrl, alt, shift, meta, hyper, super", k)
		}
		last = i
	}
	if namedKeys[base] || utf8.RuneCountInString(base) == 1 {
		return nil
	}
	return fmt.Errorf("%q is not a key: unknown key name %q", k, base)
}
