package check

import (
	"fmt"
	"sort"
	"strings"
)

// maxSuggestions is how many close names a message offers at most.
const maxSuggestions = 3

// didYouMean returns "; did you mean 'X'?" (or 'X' or 'Y', ...) naming
// the candidates closest to name, or "" when none is close. Case is
// ignored when measuring closeness, so 'AccountUPN' suggests
// 'AccountUpn'.
func didYouMean(name string, cands []string) string {
	best := closest(name, cands)
	if len(best) == 0 {
		return ""
	}
	quoted := make([]string, len(best))
	for i, b := range best {
		quoted[i] = "'" + b + "'"
	}
	list := quoted[0]
	if n := len(quoted); n > 1 {
		list = strings.Join(quoted[:n-1], ", ") + " or " + quoted[n-1]
	}
	return fmt.Sprintf("; did you mean %s?", list)
}

// closest returns up to maxSuggestions candidates at the smallest edit
// distance from name found, if that is within about a third of name's
// length.
func closest(name string, cands []string) []string {
	type scored struct {
		name string
		dist int
	}
	limit := max(1, len(name)/3)
	lower := strings.ToLower(name)
	seen := make(map[string]bool)
	var found []scored
	for _, c := range cands {
		if c == name || seen[c] {
			continue
		}
		seen[c] = true
		if d := distance(lower, strings.ToLower(c)); d <= limit {
			found = append(found, scored{c, d})
		}
	}
	sort.Slice(found, func(i, j int) bool {
		if found[i].dist != found[j].dist {
			return found[i].dist < found[j].dist
		}
		return found[i].name < found[j].name
	})
	out := make([]string, 0, maxSuggestions)
	for i := 0; i < len(found) && i < maxSuggestions &&
		found[i].dist == found[0].dist; i++ {
		out = append(out, found[i].name)
	}
	return out
}

// distance is the Levenshtein distance between a and b, in bytes:
// schema names are ASCII.
func distance(a, b string) int {
	prev := make([]int, len(b)+1)
	cur := make([]int, len(b)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(a); i++ {
		cur[0] = i
		for j := 1; j <= len(b); j++ {
			cost := 1
			if a[i-1] == b[j-1] {
				cost = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
		}
		prev, cur = cur, prev
	}
	return prev[len(b)]
}
