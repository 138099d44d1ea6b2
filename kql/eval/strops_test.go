package eval

import "testing"

func TestStringPredicates(t *testing.T) {
	tests := []struct {
		name   string
		op     func(s, needle string, cs bool) bool
		s, sub string
		cs     bool
		want   bool
	}{
		{"has whole term", has, "North America", "america", false, true},
		{"has not a prefix of term", has, "North America", "amer", false, false},
		{"has not inside term", has, "powershell.exe", "shell", false, false},
		{"has term after dot", has, "powershell.exe", "exe", false, true},
		{"has dotted needle", has, "c:\\windows\\cmd.exe", "cmd.exe", false, true},
		{"has leading punctuation", has, "a.exe", ".exe", false, true},
		{"has digits are term chars", has, "abc123 def", "abc", false, false},
		{"has underscore splits terms", has, "abc_def", "def", false, true},
		{"has_cs case differs", has, "North America", "america", true, false},
		{"has_cs exact", has, "North America", "America", true, true},
		{"has empty needle", has, "x", "", false, true},
		{"has in empty", has, "", "x", false, false},
		{"has second occurrence", has, "xfoo foo", "foo", false, true},
		{"contains inside term", contains, "powershell.exe", "SHELL", false, true},
		{"contains_cs case differs", contains, "powershell", "SHELL", true, false},
		{"contains empty", contains, "", "", false, true},
		{"startswith", startsWith, "Powershell", "power", false, true},
		{"startswith_cs", startsWith, "Powershell", "power", true, false},
		{"startswith longer", startsWith, "po", "power", false, false},
		{"endswith", endsWith, "cmd.EXE", ".exe", false, true},
		{"endswith_cs", endsWith, "cmd.EXE", ".exe", true, false},
		{"non-ASCII fold", contains, "ÄRGER", "ärg", false, true},
		{"has non-ASCII term", has, "Ärger über alles", "ÜBER", false, true},
		{"has non-ASCII inside term", has, "Ärger überall", "ÜBER", false,
			false},
		{"non-ASCII after a longer case", has, "ẞ x", "X", false, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := tt.op(tt.s, tt.sub, tt.cs); got != tt.want {
				t.Errorf("(%q, %q, cs=%v): got %v, want %v",
					tt.s, tt.sub, tt.cs, got, tt.want)
			}
		})
	}
}

func TestHasPrefixSuffix(t *testing.T) {
	tests := []struct {
		name           string
		s, sub         string
		prefix, suffix bool
		want           bool
	}{
		{"hasprefix start of term", "North America", "amer", true, false, true},
		{"hasprefix mid term", "North America", "meri", true, false, false},
		{"hassuffix end of term", "North America", "rica", false, true, true},
		{"hassuffix mid term", "North America", "eric", false, true, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := hasTerm(tt.s, tt.sub, false, tt.prefix, tt.suffix)
			if got != tt.want {
				t.Errorf("got %v, want %v", got, tt.want)
			}
		})
	}
}
