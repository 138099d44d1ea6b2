package kql

import (
	"strings"
	"unicode"
	"unicode/utf8"
)

// Lex splits src into tokens. It never fails: input that is no token
// becomes an Invalid token, so highlighting always works. Whitespace is not
// returned; comments are.
func Lex(src string) []Token {
	return AppendTokens(make([]Token, 0, len(src)/4+1), src)
}

// AppendTokens lexes src like Lex and appends the tokens to dst, so an
// editor can re-lex on every keystroke into the same buffer.
func AppendTokens(dst []Token, src string) []Token {
	lx := lexer{src: src}
	for {
		lx.skipSpace()
		if lx.pos >= len(src) {
			return dst
		}
		start := lx.pos
		kind := lx.next()
		dst = append(dst, Token{Kind: kind, Pos: start, Len: lx.pos - start})
	}
}

// lexer is the scanning state of one Lex call.
type lexer struct {
	src string
	pos int
}

func (lx *lexer) peek(i int) byte {
	if lx.pos+i < len(lx.src) {
		return lx.src[lx.pos+i]
	}
	return 0
}

func (lx *lexer) skipSpace() {
	for lx.pos < len(lx.src) {
		c := lx.src[lx.pos]
		if c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' ||
			c == '\v' {
			lx.pos++
			continue
		}
		if c < utf8.RuneSelf {
			return
		}
		r, n := utf8.DecodeRuneInString(lx.src[lx.pos:])
		if !isSpaceRune(r) {
			return
		}
		lx.pos += n
	}
}

// next scans one token starting at lx.pos and returns its kind.
func (lx *lexer) next() TokenKind {
	c := lx.src[lx.pos]
	switch {
	case c == '/' && lx.peek(1) == '/', c == '#' && lx.atLineStart():
		lx.lineComment()
		return Comment
	case c == '\'' || c == '"':
		return lx.quoted(false)
	case c == '`' && strings.HasPrefix(lx.src[lx.pos:], "```"),
		c == '~' && strings.HasPrefix(lx.src[lx.pos:], "~~~"):
		return lx.fenced()
	case c == '@' && (lx.peek(1) == '\'' || lx.peek(1) == '"'):
		lx.pos++
		return lx.quoted(true)
	case c == '@':
		lx.pos++
		return Identifier // KQL's grammar has an entity named @
	case (c == 'h' || c == 'H') && lx.obfuscatedString():
		return lx.quoted(lx.src[lx.pos] == '@' && lx.skip(1))
	case isDigit(c):
		return lx.number()
	case isWordStart(c) || c == '$' && isWordStart(lx.peek(1)):
		return lx.word()
	case c == '!' && isWordStart(lx.peek(1)):
		if k, ok := lx.negatedOperator(); ok {
			return k
		}
	case c >= utf8.RuneSelf:
		return lx.unicodeWord()
	}
	return lx.symbol()
}

// skip advances n bytes and reports true, for use inside expressions.
func (lx *lexer) skip(n int) bool {
	lx.pos += n
	return true
}

// atLineStart reports whether only spaces precede lx.pos on its line.
func (lx *lexer) atLineStart() bool {
	for i := lx.pos - 1; i >= 0; i-- {
		switch lx.src[i] {
		case '\n':
			return true
		case ' ', '\t', '\r':
			continue
		}
		return false
	}
	return true
}

func (lx *lexer) lineComment() {
	if i := strings.IndexByte(lx.src[lx.pos:], '\n'); i >= 0 {
		lx.pos += i
		if lx.pos > 0 && lx.src[lx.pos-1] == '\r' {
			lx.pos--
		}
		return
	}
	lx.pos = len(lx.src)
}

// obfuscatedString reports whether lx.pos starts an obfuscated string,
// h'...' or h@'...', and if so moves past the h.
func (lx *lexer) obfuscatedString() bool {
	q := lx.peek(1)
	if q == '@' {
		q = lx.peek(2)
	}
	if q != '\'' && q != '"' {
		return false
	}
	lx.pos++
	return true
}

// quoted scans a string in quotes starting at lx.pos. In a verbatim
// string a doubled quote stands for one and backslashes are plain; in a
// regular one a backslash escapes the next character. A string may not
// span lines; an unterminated one is an Invalid token up to the line end.
func (lx *lexer) quoted(verbatim bool) TokenKind {
	q := lx.src[lx.pos]
	lx.pos++
	for lx.pos < len(lx.src) {
		c := lx.src[lx.pos]
		switch {
		case c == '\n' || c == '\r':
			return Invalid
		case c == '\\' && !verbatim:
			lx.pos += 2
			continue
		case c == q:
			lx.pos++
			if verbatim && lx.peek(0) == q {
				lx.pos++
				continue
			}
			return String
		}
		lx.pos++
	}
	lx.pos = len(lx.src)
	return Invalid
}

// fenced scans a multi-line string between ``` or ~~~ fences.
func (lx *lexer) fenced() TokenKind {
	fence := lx.src[lx.pos : lx.pos+3]
	i := strings.Index(lx.src[lx.pos+3:], fence)
	if i < 0 {
		lx.pos = len(lx.src)
		return Invalid
	}
	lx.pos += 3 + i + 3
	return String
}

// number scans an integer, real, hexadecimal or timespan literal.
func (lx *lexer) number() TokenKind {
	if lx.peek(0) == '0' && (lx.peek(1) == 'x' || lx.peek(1) == 'X') &&
		isHex(lx.peek(2)) {
		lx.pos += 2
		for isHex(lx.peek(0)) {
			lx.pos++
		}
		return Number
	}
	start := lx.pos
	lx.digits()
	if lx.peek(0) == '.' && lx.peek(1) != '.' {
		lx.pos++
		lx.digits()
	}
	integer := lx.pos > start && isDigit(lx.src[start]) &&
		strings.IndexByte(lx.src[start:lx.pos], '.') < 0
	if c := lx.peek(0); c == 'e' || c == 'E' {
		i := 1
		if s := lx.peek(1); s == '+' || s == '-' {
			i = 2
		}
		if isDigit(lx.peek(i)) {
			lx.pos += i
			lx.digits()
		}
	}
	if isWordStart(lx.peek(0)) {
		end := lx.pos
		for end < len(lx.src) && isWordPart(lx.src[end]) {
			end++
		}
		if _, ok := timespanUnits[lx.src[lx.pos:end]]; ok {
			lx.pos = end
			return TimeSpan
		}
		if integer {
			// KQL names may start with digits, as in 2022Exploited.
			lx.pos = end
			return Identifier
		}
	}
	return Number
}

func (lx *lexer) digits() {
	for isDigit(lx.peek(0)) {
		lx.pos++
	}
}

// word scans a keyword, identifier or typed literal.
func (lx *lexer) word() TokenKind {
	start := lx.pos
	lx.pos++
	lx.wordRest()
	lx.hyphenated(start)
	w := lx.src[start:lx.pos]
	if w == "in" && lx.peek(0) == '~' {
		lx.pos++
		return OperatorKeyword
	}
	if literalTypes[w] {
		if k, ok := lx.typedLiteral(); ok {
			return k
		}
	}
	if k, ok := wordKinds[w]; ok {
		return k
	}
	return Identifier
}

// hyphenated extends a word such as "project" to "project-away" when the
// longer form is a keyword.
func (lx *lexer) hyphenated(start int) {
	end := lx.pos
	for end < len(lx.src) && lx.src[end] == '-' && end+1 < len(lx.src) &&
		isWordStart(lx.src[end+1]) {
		end++
		for end < len(lx.src) && isWordPart(lx.src[end]) {
			end++
		}
		w := lx.src[start:end]
		if hyphenWords[w] {
			lx.pos = end
		} else if !hyphenPrefixes[w] {
			return
		}
	}
}

// typedLiteral scans `(value)` after a type name such as datetime, making
// the whole a TypedLiteral, since the value is no ordinary token (as in
// datetime(2024-01-01 10:00)). It reports false when no '(' follows.
func (lx *lexer) typedLiteral() (TokenKind, bool) {
	i := lx.pos
	for i < len(lx.src) && (lx.src[i] == ' ' || lx.src[i] == '\t') {
		i++
	}
	if i >= len(lx.src) || lx.src[i] != '(' {
		return 0, false
	}
	end := i + 1
	for end < len(lx.src) {
		switch c := lx.src[end]; c {
		case ')':
			lx.pos = end + 1
			return TypedLiteral, true
		case '\'', '"': // datetime("2024-01-01")
			n := strings.IndexByte(lx.src[end+1:], c)
			if n < 0 || strings.ContainsAny(lx.src[end+1:end+1+n], "\r\n") {
				return 0, false
			}
			end += n + 1
		case '(', '\n', '\r', '|', ';':
			return 0, false
		}
		end++
	}
	return 0, false
}

// negatedOperator scans `!has`, `!in~`, `!contains_cs` and the like.
func (lx *lexer) negatedOperator() (TokenKind, bool) {
	end := lx.pos + 1
	for end < len(lx.src) && isWordPart(lx.src[end]) {
		end++
	}
	w := lx.src[lx.pos+1 : end]
	if !negatable[w] {
		return 0, false
	}
	lx.pos = end
	if w == "in" && lx.peek(0) == '~' {
		lx.pos++
	}
	return OperatorKeyword, true
}

// unicodeWord scans an identifier that starts with a non-ASCII letter,
// or a single non-ASCII character as an Invalid token.
func (lx *lexer) unicodeWord() TokenKind {
	r, n := utf8.DecodeRuneInString(lx.src[lx.pos:])
	lx.pos += n
	if !unicode.IsLetter(r) {
		return Invalid
	}
	lx.wordRest()
	return Identifier
}

// wordRest scans the letters, digits and underscores after a word's
// first character.
func (lx *lexer) wordRest() {
	for lx.pos < len(lx.src) {
		c := lx.src[lx.pos]
		if c < utf8.RuneSelf {
			if !isWordPart(c) {
				return
			}
			lx.pos++
			continue
		}
		r, n := utf8.DecodeRuneInString(lx.src[lx.pos:])
		if !unicode.IsLetter(r) && !unicode.IsDigit(r) {
			return
		}
		lx.pos += n
	}
}

// symbol scans an operator symbol or punctuation, or one stray byte (or
// rune) as an Invalid token.
func (lx *lexer) symbol() TokenKind {
	c, d := lx.src[lx.pos], lx.peek(1)
	if isSymbol2(c, d) {
		lx.pos += 2
		return Symbol
	}
	lx.pos++
	switch c {
	case '(', ')', '[', ']', '{', '}', ',', ';', ':', '.', '|':
		return Punctuation
	case '+', '-', '*', '/', '%', '<', '>', '=':
		return Symbol
	}
	if c >= utf8.RuneSelf {
		_, n := utf8.DecodeRuneInString(lx.src[lx.pos-1:])
		lx.pos += n - 1
	}
	return Invalid
}

// isSymbol2 reports whether c and d form a two-byte symbol: == != <> <=
// >= =~ !~ => or ..
func isSymbol2(c, d byte) bool {
	switch c {
	case '=':
		return d == '=' || d == '~' || d == '>'
	case '!':
		return d == '=' || d == '~'
	case '<':
		return d == '>' || d == '='
	case '>':
		return d == '='
	case '.':
		return d == '.'
	}
	return false
}

// isSpaceRune reports whether r is white space, counting the zero-width
// characters that pasted queries often carry.
func isSpaceRune(r rune) bool {
	switch r {
	case '\u200B', '\u200C', '\u200D', '\u2060', '\uFEFF':
		return true
	}
	return unicode.IsSpace(r)
}

func isDigit(c byte) bool { return '0' <= c && c <= '9' }

func isHex(c byte) bool {
	return isDigit(c) || 'a' <= c && c <= 'f' || 'A' <= c && c <= 'F'
}

func isWordStart(c byte) bool {
	return 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || c == '_'
}

func isWordPart(c byte) bool { return isWordStart(c) || isDigit(c) }
