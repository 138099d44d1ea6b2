package sample

import (
	"crypto/md5"
	"crypto/sha1"
	"crypto/sha256"
	"encoding/hex"
	"hash/fnv"
	"math/rand/v2"
	"strconv"

	"github.com/ahunt/ahunt/kql/table"
)

// Ticks of 100 ns, the unit every timestamp of a generated table is in.
const (
	tSecond = int64(table.TicksPerSecond)
	tMinute = 60 * tSecond
	tHour   = 60 * tMinute
	tDay    = 24 * tHour
)

// rng is a deterministic random source. Every table and every device gets
// its own, seeded from the tenant seed and a name, so tables can be built
// in parallel and still come out the same on every run.
type rng struct{ r *rand.Rand }

func newRNG(seed int64, name string) *rng {
	h := fnv.New64a()
	h.Write([]byte(name))
	return &rng{rand.New(rand.NewPCG(uint64(seed), h.Sum64()))}
}

// intn returns a number in [0, n); n <= 0 gives 0.
func (r *rng) intn(n int) int {
	if n <= 0 {
		return 0
	}
	return r.r.IntN(n)
}

// between returns a number in [lo, hi].
func (r *rng) between(lo, hi int) int { return lo + r.intn(hi-lo+1) }

// chance reports true with probability p.
func (r *rng) chance(p float64) bool { return r.r.Float64() < p }

// pick returns a random element of s.
func pick[T any](r *rng, s []T) T { return s[r.intn(len(s))] }

// span returns a random duration in ticks in [0, d).
func (r *rng) span(d int64) int64 {
	if d <= 0 {
		return 0
	}
	return r.r.Int64N(d)
}

// guid returns a random version-4 GUID in canonical form.
func (r *rng) guid() string {
	var b [16]byte
	for i := 0; i < 16; i += 8 {
		v := r.r.Uint64()
		for j := 0; j < 8; j++ {
			b[i+j] = byte(v >> (8 * j))
		}
	}
	return formatGUID(b)
}

func formatGUID(b [16]byte) string {
	b[6] = b[6]&0x0f | 0x40
	b[8] = b[8]&0x3f | 0x80
	var s [36]byte
	hex.Encode(s[0:8], b[0:4])
	s[8] = '-'
	hex.Encode(s[9:13], b[4:6])
	s[13] = '-'
	hex.Encode(s[14:18], b[6:8])
	s[18] = '-'
	hex.Encode(s[19:23], b[8:10])
	s[23] = '-'
	hex.Encode(s[24:], b[10:])
	return string(s[:])
}

// nameGUID returns a GUID derived from a name: the same name always gives
// the same GUID, so an object keeps its ID across tables.
func nameGUID(seed int64, name string) string {
	sum := sha256.Sum256([]byte(strconv.FormatInt(seed, 10) + "/" + name))
	var b [16]byte
	copy(b[:], sum[:16])
	return formatGUID(b)
}

// nameHex40 returns 40 hex digits derived from a name, the shape of a
// Defender DeviceId.
func nameHex40(seed int64, name string) string {
	sum := sha1.Sum([]byte(strconv.FormatInt(seed, 10) + "/" + name))
	return hex.EncodeToString(sum[:])
}

// hashes are the three digests Defender reports for a file.
type hashes struct{ SHA1, SHA256, MD5 string }

// fileHashes derives the digests of a file from a key naming its content,
// so the same file has the same hashes on every device and in every table.
func fileHashes(key string) hashes {
	s1 := sha1.Sum([]byte(key))
	s2 := sha256.Sum256([]byte(key))
	m := md5.Sum([]byte(key))
	return hashes{
		SHA1:   hex.EncodeToString(s1[:]),
		SHA256: hex.EncodeToString(s2[:]),
		MD5:    hex.EncodeToString(m[:]),
	}
}

// keyNumber derives a stable number in [lo, hi] from a key.
func keyNumber(key string, lo, hi int64) int64 {
	h := fnv.New64a()
	h.Write([]byte(key))
	return lo + int64(h.Sum64()%uint64(hi-lo+1))
}
