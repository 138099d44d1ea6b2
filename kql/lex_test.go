package kql

import (
	"fmt"
	"strings"
	"testing"

	"github.com/ahunt/ahunt/kql/corpus"
)

// tokenString renders tokens as "Kind:text" separated by spaces.
func tokenString(src string, toks []Token) string {
	parts := make([]string, len(toks))
	for i, t := range toks {
		parts[i] = fmt.Sprintf("%v:%s", t.Kind, t.Text(src))
	}
	return strings.Join(parts, " ")
}

func TestLex(t *testing.T) {
	tests := []struct {
		name string
		src  string
		want string
	}{
		{"pipeline", "T | where A == 1",
			"Identifier:T Punctuation:| Keyword:where Identifier:A " +
				"Symbol:== Number:1"},
		{"hyphenated operators", "project-away mv-expand top-nested",
			"Keyword:project-away Keyword:mv-expand Keyword:top-nested"},
		{"hyphen is minus elsewhere", "a-b graph-merge",
			"Identifier:a Symbol:- Identifier:b Identifier:graph " +
				"Symbol:- Identifier:merge"},
		{"negated operators", "!has !in~ !contains_cs !between in~",
			"OperatorKeyword:!has OperatorKeyword:!in~ " +
				"OperatorKeyword:!contains_cs OperatorKeyword:!between " +
				"OperatorKeyword:in~"},
		{"not equal is a symbol", "a != b !~ c",
			"Identifier:a Symbol:!= Identifier:b Symbol:!~ Identifier:c"},
		{"strings", `'a' "b\"c" @'d''e' h'f' H@"g"`,
			`String:'a' String:"b\"c" String:@'d''e' String:h'f' ` +
				`String:H@"g"`},
		{"multi-line string", "x = ```a\nb``` y",
			"Identifier:x Symbol:= String:```a\nb``` Identifier:y"},
		{"numbers", "1 1.5 1e6 2.5E-3 0x1F",
			"Number:1 Number:1.5 Number:1e6 Number:2.5E-3 Number:0x1F"},
		{"timespans", "7d 1.5h 30s 10ms 5min 2microseconds",
			"TimeSpan:7d TimeSpan:1.5h TimeSpan:30s TimeSpan:10ms " +
				"TimeSpan:5min TimeSpan:2microseconds"},
		{"names may start with digits", "2022Exploited",
			"Identifier:2022Exploited"},
		{"typed literals", "datetime(2024-01-01 10:00) long(null) true",
			"TypedLiteral:datetime(2024-01-01 10:00) " +
				"TypedLiteral:long(null) TypedLiteral:true"},
		{"type name alone", "x:datetime",
			"Identifier:x Punctuation:: Identifier:datetime"},
		{"range dots", "between (1..5)",
			"OperatorKeyword:between Punctuation:( Number:1 Symbol:.. " +
				"Number:5 Punctuation:)"},
		{"comment", "T // note\n| take 1",
			"Identifier:T Comment:// note Punctuation:| Keyword:take " +
				"Number:1"},
		{"comment before CRLF", "T // note\r\n",
			"Identifier:T Comment:// note"},
		{"directive at line start", "  #connect x\nT",
			"Comment:#connect x Identifier:T"},
		{"hash mid-line", "T #x", "Identifier:T Invalid:# Identifier:x"},
		{"left and right", "$left.A == $right.B",
			"Identifier:$left Punctuation:. Identifier:A Symbol:== " +
				"Identifier:$right Punctuation:. Identifier:B"},
		{"unterminated string", "'abc\nT",
			"Invalid:'abc Identifier:T"},
		{"stray character", "a ? b",
			"Identifier:a Invalid:? Identifier:b"},
		{"unicode name", "extend Größe = 1",
			"Keyword:extend Identifier:Größe Symbol:= Number:1"},
		{"zero-width space", "\u200bT", "Identifier:T"},
		{"quoted name", "['My Col']",
			"Punctuation:[ String:'My Col' Punctuation:]"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := tokenString(tt.src, Lex(tt.src)); got != tt.want {
				t.Errorf("Lex(%q)\ngot  %s\nwant %s", tt.src, got, tt.want)
			}
		})
	}
}

func TestLexCoversCorpus(t *testing.T) {
	invalid, err := corpus.Invalid()
	if err != nil {
		t.Fatal(err)
	}
	for _, q := range loadCorpus(t) {
		if invalid[q.Name] {
			continue
		}
		toks := Lex(q.Text)
		checkTokens(t, q.Text, toks)
		for _, tk := range toks {
			if tk.Kind == Invalid {
				t.Errorf("%s: invalid token %q at %d", q.Name,
					tk.Text(q.Text), tk.Pos)
				break
			}
		}
	}
}

func TestTokenKindString(t *testing.T) {
	tests := []struct {
		kind TokenKind
		want string
	}{
		{Invalid, "Invalid"},
		{Keyword, "Keyword"},
		{Punctuation, "Punctuation"},
		{TokenKind(200), "TokenKind(?)"},
	}
	for _, tt := range tests {
		if got := tt.kind.String(); got != tt.want {
			t.Errorf("TokenKind(%d).String() = %q, want %q", tt.kind, got,
				tt.want)
		}
	}
}

// TestRelexAllocs checks that re-lexing into a buffer with room, as the
// editor does on every keystroke, allocates nothing.
func TestRelexAllocs(t *testing.T) {
	src := "DeviceProcessEvents\n| where Timestamp > ago(7d) // recent\n" +
		"| where FileName in~ ('cmd.exe', 'powershell.exe')\n" +
		"| summarize n = count() by bin(Timestamp, 1h)"
	buf := Lex(src)
	allocs := testing.AllocsPerRun(100, func() {
		buf = AppendTokens(buf[:0], src)
	})
	if allocs != 0 {
		t.Errorf("got %v allocations per re-lex, want 0", allocs)
	}
}
