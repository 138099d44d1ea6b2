package kql

import (
	"bytes"
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"testing"
)

// oracleResult is what oracle/oracle.js reports for one query.
type oracleResult struct {
	Name    string `json:"name"`
	Errors  int    `json:"errors"`
	Code    string `json:"code"`
	Message string `json:"message"`
	Offset  int    `json:"offset"` // in UTF-16 code units
}

// runOracle asks Microsoft's parser about queries, through Node.js. It
// skips the test when node or oracle/node_modules is missing (run
// `npm ci` in kql/oracle), unless AHUNT_REQUIRE_ORACLE=1, as in CI,
// where a missing oracle is a failure.
func runOracle(t *testing.T, queries []string) []oracleResult {
	t.Helper()
	skip := func(msg string) {
		if os.Getenv("AHUNT_REQUIRE_ORACLE") == "1" {
			t.Fatal(msg + " (required: AHUNT_REQUIRE_ORACLE=1)")
		}
		t.Skip(msg)
	}
	node, err := exec.LookPath("node")
	if err != nil {
		skip("node not found: install Node.js to compare with " +
			"Microsoft's parser")
	}
	mods := filepath.Join("oracle", "node_modules", "@kusto")
	if _, err := os.Stat(mods); err != nil {
		skip("oracle/node_modules missing: run `npm ci` in kql/oracle " +
			"to compare with Microsoft's parser")
	}
	in, err := json.Marshal(queries)
	if err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command(node, filepath.Join("oracle", "oracle.js"))
	cmd.Stdin = bytes.NewReader(in)
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("run oracle: %v: %s", err, stderr.String())
	}
	var results []oracleResult
	dec := json.NewDecoder(bytes.NewReader(out))
	for dec.More() {
		var r oracleResult
		if err := dec.Decode(&r); err != nil {
			t.Fatalf("decode oracle output: %v", err)
		}
		results = append(results, r)
	}
	if len(results) != len(queries) {
		t.Fatalf("oracle answered %d queries, want %d", len(results),
			len(queries))
	}
	return results
}

// TestOracleSmoke checks the oracle itself on queries with known answers,
// so a broken oracle cannot pass for agreement.
func TestOracleSmoke(t *testing.T) {
	tests := []struct {
		name  string
		query string
		bad   bool
	}{
		{"valid", "T | where A == 1 | take 10", false},
		{"open paren", "T | where (A == 1", true},
		{"trailing pipe", "T | take 10 |", true},
	}
	queries := make([]string, len(tests))
	for i, tt := range tests {
		queries[i] = tt.query
	}
	results := runOracle(t, queries)
	for i, tt := range tests {
		if got := results[i].Errors > 0; got != tt.bad {
			t.Errorf("%s: oracle says error %v, want %v", tt.name, got,
				tt.bad)
		}
	}
}
