package main

import (
	"slices"
	"strings"
	"testing"

	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"
)

func TestDefaultKeyMapIsComplete(t *testing.T) {
	km := defaultKeyMap()
	for name, b := range keyActions(&km) {
		if len(b.Keys()) == 0 {
			t.Errorf("%s: no default key", name)
		}
		if b.Help().Desc == "" {
			t.Errorf("%s: no help text", name)
		}
		for _, k := range b.Keys() {
			if err := checkKey(k); err != nil {
				t.Errorf("%s: default %v", name, err)
			}
		}
	}
}

func TestDefaultKeysMatchTheIssue(t *testing.T) {
	km := defaultKeyMap()
	tests := []struct {
		action string
		msg    tea.KeyPressMsg
	}{
		{"run_query", tea.KeyPressMsg{Code: tea.KeyF5}},
		{"run_query", tea.KeyPressMsg{Code: 'r', Mod: tea.ModCtrl}},
		{"run_query", tea.KeyPressMsg{Code: tea.KeyEnter, Mod: tea.ModCtrl}},
		{"run_query", tea.KeyPressMsg{Code: tea.KeyEnter, Mod: tea.ModShift}},
		{"cancel", tea.KeyPressMsg{Code: tea.KeyEscape}},
		{"focus_next", tea.KeyPressMsg{Code: tea.KeyTab}},
		{"focus_prev", tea.KeyPressMsg{Code: tea.KeyTab, Mod: tea.ModShift}},
		{"history", tea.KeyPressMsg{Code: tea.KeyF8}},
		{"saved_queries", tea.KeyPressMsg{Code: tea.KeyF2}},
		{"save_query", tea.KeyPressMsg{Code: 's', Mod: tea.ModCtrl}},
		{"help", tea.KeyPressMsg{Code: tea.KeyF1}},
		{"help", tea.KeyPressMsg{Code: '?', Text: "?"}},
		{"quit", tea.KeyPressMsg{Code: 'q', Mod: tea.ModCtrl}},
		{"interrupt", tea.KeyPressMsg{Code: 'c', Mod: tea.ModCtrl}},
		{"grid_down", tea.KeyPressMsg{Code: 'j', Text: "j"}},
		{"grid_last_page", tea.KeyPressMsg{Code: 'g', Text: "G",
			Mod: tea.ModShift}},
		{"grid_search", tea.KeyPressMsg{Code: '/', Text: "/"}},
		{"grid_sort", tea.KeyPressMsg{Code: 's', Text: "s"}},
		{"grid_detail", tea.KeyPressMsg{Code: tea.KeyEnter}},
		{"grid_copy_cell", tea.KeyPressMsg{Code: 'y', Text: "y"}},
		{"grid_export", tea.KeyPressMsg{Code: 'e', Text: "e"}},
		{"grid_page_down", tea.KeyPressMsg{Code: tea.KeyPgDown}},
	}
	actions := keyActions(&km)
	for _, tt := range tests {
		t.Run(tt.action+" "+tt.msg.String(), func(t *testing.T) {
			if !key.Matches(tt.msg, *actions[tt.action]) {
				t.Errorf("%s does not answer %q (keys %v)", tt.action,
					tt.msg.String(), actions[tt.action].Keys())
			}
		})
	}
}

func TestApplyKeyOverrides(t *testing.T) {
	tests := []struct {
		name      string
		overrides map[string][]string
		action    string
		wantKeys  []string
		wantErr   string
	}{
		{"rebind", map[string][]string{"run_query": {"f9", "ctrl+j"}},
			"run_query", []string{"f9", "ctrl+j"}, ""},
		{"no keys", map[string][]string{"run_query": {}},
			"", nil, `run_query: no keys`},
		{"conflict in the editor",
			map[string][]string{"history": {"ctrl+j"},
				"run_query": {"ctrl+j"}},
			"", nil, `"ctrl+j" is bound to both history and run_query, ` +
				`which both work in the editor`},
		{"conflict with a default", map[string][]string{"grid_sort": {"y"}},
			"", nil, `"y" is bound to both grid_copy_cell and grid_sort`},
		{"same key in two places", map[string][]string{
			"grid_export": {"ctrl+o"}}, "grid_export",
			[]string{"ctrl+o"}, ""},
		{"character", map[string][]string{"grid_sort": {"o", "%"}},
			"grid_sort", []string{"o", "%"}, ""},
		{"media key", map[string][]string{"run_query": {"mediaplay"}},
			"run_query", []string{"mediaplay"}, ""},
		{"all modifiers in order",
			map[string][]string{"quit": {"ctrl+alt+shift+x"}},
			"quit", []string{"ctrl+alt+shift+x"}, ""},
		{"unknown action", map[string][]string{"launch_rockets": {"f9"}},
			"", nil, `unknown action "launch_rockets"`},
		{"unknown key name", map[string][]string{"quit": {"ctrl+escape"}},
			"", nil, `quit: "ctrl+escape" is not a key: ` +
				`unknown key name "escape"`},
		{"unknown modifier", map[string][]string{"quit": {"cmd+q"}},
			"", nil, `quit: "cmd+q" is not a key: unknown ` +
				`modifier "cmd"`},
		{"modifier order", map[string][]string{"quit": {"alt+ctrl+q"}},
			"", nil, "write modifiers in the order ctrl, alt, shift"},
		{"a space", map[string][]string{"help": {" "}},
			"", nil, `write "space"`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			km := defaultKeyMap()
			before := keyActions(&km)["quit"].Keys()
			err := applyKeyOverrides(&km, tt.overrides)
			if tt.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
					t.Fatalf("error: got %v, want one containing %q", err,
						tt.wantErr)
				}
				if got := keyActions(&km)["quit"].Keys(); !slices.Equal(got,
					before) {
					t.Errorf("key map changed on error: quit %v", got)
				}
				return
			}
			if err != nil {
				t.Fatalf("error: got %v, want none", err)
			}
			b := keyActions(&km)[tt.action]
			if got := b.Keys(); !slices.Equal(got, tt.wantKeys) {
				t.Errorf("keys: got %v, want %v", got, tt.wantKeys)
			}
			if len(tt.wantKeys) > 0 && b.Help().Key != tt.wantKeys[0] {
				t.Errorf("help key: got %q, want %q", b.Help().Key,
					tt.wantKeys[0])
			}
		})
	}
}

func TestDefaultKeyMapHasNoConflicts(t *testing.T) {
	km := defaultKeyMap()
	if err := checkConflicts(keyActions(&km)); err != nil {
		t.Errorf("default key map: got %v, want no conflict", err)
	}
	for name, b := range keyActions(&km) {
		if len(b.Keys()) == 0 {
			t.Errorf("%s: got no keys, want at least one", name)
		}
	}
}
