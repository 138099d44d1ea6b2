package eval

import (
	"strings"
	"unicode"
	"unicode/utf8"
)

// isTermByte reports whether c belongs to a term: KQL's terms are the
// maximal runs of ASCII letters and digits.
func isTermByte(c byte) bool {
	return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' ||
		c >= '0' && c <= '9'
}

func lowerByte(c byte) byte {
	if c >= 'A' && c <= 'Z' {
		return c + 'a' - 'A'
	}
	return c
}

func isASCII(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] >= utf8.RuneSelf {
			return false
		}
	}
	return true
}

// indexFold returns the first match of needle in s at or after from,
// ignoring case, as its start and end, or -1, -1. Text that is not
// ASCII is matched rune by rune with Unicode case folding, so the span
// is exact even where cases differ in length.
func indexFold(s, needle string, from int) (start, end int) {
	if !isASCII(needle) || !isASCII(s) {
		for i := from; i <= len(s); {
			if e, ok := matchFoldAt(s, i, needle); ok {
				return i, e
			}
			if i == len(s) {
				break
			}
			_, size := utf8.DecodeRuneInString(s[i:])
			i += size
		}
		return -1, -1
	}
	if needle == "" {
		return from, from
	}
	first := lowerByte(needle[0])
	for i := from; i+len(needle) <= len(s); i++ {
		if lowerByte(s[i]) != first {
			continue
		}
		if equalFoldASCII(s[i:i+len(needle)], needle) {
			return i, i + len(needle)
		}
	}
	return -1, -1
}

// matchFoldAt reports whether needle matches s at i, ignoring case, and
// where the match ends.
func matchFoldAt(s string, i int, needle string) (int, bool) {
	for _, nr := range needle {
		if i >= len(s) {
			return 0, false
		}
		r, size := utf8.DecodeRuneInString(s[i:])
		if r != nr && unicode.ToLower(r) != unicode.ToLower(nr) &&
			unicode.ToUpper(r) != unicode.ToUpper(nr) {
			return 0, false
		}
		i += size
	}
	return i, true
}

func equalFoldASCII(a, b string) bool {
	if len(a) != len(b) {
		return false
	}
	for i := 0; i < len(a); i++ {
		if lowerByte(a[i]) != lowerByte(b[i]) {
			return false
		}
	}
	return true
}

// equalFold compares two strings ignoring case, as =~ does.
func equalFold(a, b string) bool {
	if isASCII(a) && isASCII(b) {
		return equalFoldASCII(a, b)
	}
	return strings.EqualFold(a, b)
}

// index returns the first match of needle in s at or after from, as
// its start and end, or -1, -1.
func index(s, needle string, from int, cs bool) (start, end int) {
	if !cs {
		return indexFold(s, needle, from)
	}
	i := strings.Index(s[from:], needle)
	if i < 0 {
		return -1, -1
	}
	return from + i, from + i + len(needle)
}

// contains implements contains and contains_cs.
func contains(s, needle string, cs bool) bool {
	i, _ := index(s, needle, 0, cs)
	return i >= 0
}

// hasTerm implements has, hasprefix and hassuffix: needle must occur in s
// where it starts (prefix) and ends (suffix) on term boundaries. A
// boundary is only required where needle itself begins or ends with a
// term character, so "has '.exe'" matches "a.exe".
func hasTerm(s, needle string, cs, prefix, suffix bool) bool {
	if needle == "" {
		return true
	}
	checkStart := prefix && isTermByte(needle[0])
	checkEnd := suffix && isTermByte(needle[len(needle)-1])
	for from := 0; from <= len(s); {
		i, end := index(s, needle, from, cs)
		if i < 0 {
			return false
		}
		okStart := !checkStart || i == 0 || !isTermByte(s[i-1])
		okEnd := !checkEnd || end >= len(s) || !isTermByte(s[end])
		if okStart && okEnd {
			return true
		}
		from = i + 1
	}
	return false
}

func has(s, needle string, cs bool) bool {
	return hasTerm(s, needle, cs, true, true)
}

func startsWith(s, prefix string, cs bool) bool {
	if len(prefix) > len(s) {
		return false
	}
	if cs {
		return strings.HasPrefix(s, prefix)
	}
	if isASCII(prefix) {
		return equalFoldASCII(s[:len(prefix)], prefix)
	}
	return strings.HasPrefix(strings.ToLower(s), strings.ToLower(prefix))
}

func endsWith(s, suffix string, cs bool) bool {
	if len(suffix) > len(s) {
		return false
	}
	if cs {
		return strings.HasSuffix(s, suffix)
	}
	if isASCII(suffix) {
		return equalFoldASCII(s[len(s)-len(suffix):], suffix)
	}
	return strings.HasSuffix(strings.ToLower(s), strings.ToLower(suffix))
}
