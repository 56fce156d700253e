// gcpeer is the integration tests' Go groupcache peer: it runs the real Go
// groupcache (Debian's golang-github-golang-groupcache-dev, built offline in
// GOPATH mode) so the C++ port can be checked against it on the wire.
//
// Three modes:
//
//	gcpeer -addr 127.0.0.1:PORT -pool SELF,PEER... [-group kv] [-size 100] [-cache BYTES] [-delay D]
//	    A peer like the C++ kv: value of key K = first -size bytes of K+":" repeated.
//	    Each getter call logs "looking up K" to stderr. Endpoints: /get?key=K,
//	    /stats (JSON: Group, Self, Stats, MainCache, HotCache) and the groupcache
//	    peer endpoint /_groupcache/<group>/<key> behind http.DefaultServeMux,
//	    exactly as groupcache.NewHTTPPool registers it.
//
//	gcpeer -owners FILE -pool URL,URL,... [-replicas N]
//	    FILE holds one key per line, hex-encoded (an empty line is the empty key).
//	    Prints one owner URL per key, in order, computed by groupcache's
//	    consistenthash (and cross-checked against HTTPPool.PickPeer).
//
//	gcpeer -fetch PEER_URL -group G -keyhex HEX
//	    Fetches one key from PEER_URL's peer endpoint with groupcache's own
//	    httpGetter (a pool whose self never matches, PickPeer(key).Get) and
//	    prints the value as hex plus "\n". Exit status 1 on any error.
package main

import (
	"bufio"
	"context"
	"encoding/hex"
	"encoding/json"
	"flag"
	"fmt"
	"log"
	"net"
	"net/http"
	"os"
	"strings"
	"sync/atomic"
	"time"

	"github.com/golang/groupcache"
	"github.com/golang/groupcache/consistenthash"
	pb "github.com/golang/groupcache/groupcachepb"
)

var (
	addr      = flag.String("addr", "127.0.0.1:0", "listen address (serve mode)")
	poolFlag  = flag.String("pool", "", "comma-separated peer base URLs; the first one is this process")
	groupName = flag.String("group", "kv", "group name")
	size      = flag.Int("size", 100, "value size in bytes")
	cacheSize = flag.Int64("cache", 64<<20, "group cacheBytes (main+hot); <= 0 disables caching")
	replicas  = flag.Int("replicas", 0, "consistent-hash points per peer (0: groupcache's default, 50)")
	delay     = flag.Duration("delay", 0, "latency added to every getter call, e.g. 100ms")
	quiet     = flag.Bool("quiet", false, "do not log getter calls")
	work      = flag.Int("work", 0, "rounds of fixed CPU work (xorshift) per getter call, for benchmarks")
	owners    = flag.String("owners", "", "owners mode: file of hex keys, one per line")
	fetch     = flag.String("fetch", "", "fetch mode: peer base URL to fetch -group/-keyhex from")
	keyHex    = flag.String("keyhex", "", "fetch mode: the key, hex-encoded")
	timeout   = flag.Duration("timeout", 20*time.Second, "fetch mode: deadline for the fetch")
)

// syntheticValue returns the first n bytes of key+":" repeated.
func syntheticValue(key string, n int) []byte {
	unit := key + ":"
	b := make([]byte, n)
	for i := range b {
		b[i] = unit[i%len(unit)]
	}
	return b
}

func poolURLs() []string {
	if *poolFlag == "" {
		log.Fatal("gcpeer: -pool is required")
	}
	return strings.Split(*poolFlag, ",")
}

func main() {
	flag.Parse()
	switch {
	case *owners != "":
		os.Exit(printOwners(*owners, poolURLs()))
	case *fetch != "":
		os.Exit(fetchOne(*fetch, *groupName, *keyHex))
	default:
		serve(poolURLs())
	}
}

func printOwners(file string, pool []string) int {
	f, err := os.Open(file)
	if err != nil {
		fmt.Fprintln(os.Stderr, "gcpeer:", err)
		return 1
	}
	defer f.Close()

	n := *replicas
	if n == 0 {
		n = 50 // what HTTPPool uses when HTTPPoolOptions.Replicas is 0
	}
	ring := consistenthash.New(n, nil)
	ring.Add(pool...)
	// The pool's own ring must agree: PickPeer reports "remote" exactly when
	// the owner is not self (pool[0]).
	hp := groupcache.NewHTTPPoolOpts(pool[0], &groupcache.HTTPPoolOptions{Replicas: *replicas})
	hp.Set(pool...)

	out := bufio.NewWriter(os.Stdout)
	defer out.Flush()
	sc := bufio.NewScanner(f)
	sc.Buffer(make([]byte, 1<<20), 16<<20)
	for sc.Scan() {
		key, err := hex.DecodeString(strings.TrimSpace(sc.Text()))
		if err != nil {
			fmt.Fprintln(os.Stderr, "gcpeer: bad hex key:", err)
			return 1
		}
		owner := ring.Get(string(key))
		if _, remote := hp.PickPeer(string(key)); remote == (owner == pool[0]) {
			fmt.Fprintf(os.Stderr, "gcpeer: consistenthash and PickPeer disagree on %q\n", key)
			return 1
		}
		fmt.Fprintln(out, owner)
	}
	if err := sc.Err(); err != nil {
		fmt.Fprintln(os.Stderr, "gcpeer:", err)
		return 1
	}
	return 0
}

func fetchOne(peer, group, kh string) int {
	keyBytes, err := hex.DecodeString(kh)
	if err != nil {
		fmt.Fprintln(os.Stderr, "gcpeer: bad -keyhex:", err)
		return 1
	}
	key := string(keyBytes)
	// A self URL that never matches makes PickPeer return groupcache's own
	// *httpGetter for the peer, so the request is built by upstream code.
	pool := groupcache.NewHTTPPoolOpts("gcpeer://fetch-client", nil)
	pool.Set(peer)
	getter, ok := pool.PickPeer(key)
	if !ok {
		fmt.Fprintln(os.Stderr, "gcpeer: no peer picked")
		return 1
	}
	ctx, cancel := context.WithTimeout(context.Background(), *timeout)
	defer cancel()
	res := &pb.GetResponse{}
	if err := getter.Get(ctx, &pb.GetRequest{Group: &group, Key: &key}, res); err != nil {
		fmt.Fprintln(os.Stderr, "gcpeer:", err)
		return 1
	}
	fmt.Println(hex.EncodeToString(res.Value))
	return 0
}

// workSink publishes burnCPU's result so the loop is not optimised away.
var workSink uint64

// burnCPU is the same fixed work as the C++ kv's -work: a xorshift chain.
func burnCPU(key string, rounds int) {
	x := uint64(len(key)) ^ 0x9E3779B97F4A7C15
	for i := 0; i < rounds; i++ {
		x ^= x << 13
		x ^= x >> 7
		x ^= x << 17
	}
	atomic.StoreUint64(&workSink, x)
}

func serve(pool []string) {
	group := groupcache.NewGroup(*groupName, *cacheSize, groupcache.GetterFunc(
		func(ctx context.Context, key string, dest groupcache.Sink) error {
			if !*quiet {
				log.Printf("looking up %s", key)
			}
			time.Sleep(*delay)
			if *work > 0 {
				burnCPU(key, *work)
			}
			return dest.SetBytes(syntheticValue(key, *size))
		}))

	hp := groupcache.NewHTTPPoolOpts(pool[0], &groupcache.HTTPPoolOptions{Replicas: *replicas})
	hp.Set(pool...)
	// DefaultServeMux, as NewHTTPPool does: its path cleaning (301 for keys
	// like "a//b") is part of the behaviour under test.
	http.Handle("/_groupcache/", hp)

	http.HandleFunc("/get", func(w http.ResponseWriter, r *http.Request) {
		var b []byte
		if err := group.Get(r.Context(), r.FormValue("key"), groupcache.AllocatingByteSliceSink(&b)); err != nil {
			http.Error(w, err.Error(), http.StatusNotFound)
			return
		}
		w.Header().Set("Content-Type", "application/octet-stream")
		w.Write(b)
	})
	http.HandleFunc("/stats", func(w http.ResponseWriter, r *http.Request) {
		s := &group.Stats
		cacheStats := func(c groupcache.CacheStats) map[string]int64 {
			return map[string]int64{"Bytes": c.Bytes, "Items": c.Items, "Gets": c.Gets, "Hits": c.Hits, "Evictions": c.Evictions}
		}
		w.Header().Set("Content-Type", "application/json")
		enc := json.NewEncoder(w)
		enc.SetIndent("", "  ")
		enc.Encode(map[string]interface{}{
			"Group": group.Name(),
			"Self":  pool[0],
			"Stats": map[string]int64{
				"Gets":           s.Gets.Get(),
				"CacheHits":      s.CacheHits.Get(),
				"PeerLoads":      s.PeerLoads.Get(),
				"PeerErrors":     s.PeerErrors.Get(),
				"Loads":          s.Loads.Get(),
				"LoadsDeduped":   s.LoadsDeduped.Get(),
				"LocalLoads":     s.LocalLoads.Get(),
				"LocalLoadErrs":  s.LocalLoadErrs.Get(),
				"ServerRequests": s.ServerRequests.Get(),
			},
			"MainCache": cacheStats(group.CacheStats(groupcache.MainCache)),
			"HotCache":  cacheStats(group.CacheStats(groupcache.HotCache)),
		})
	})

	ln, err := net.Listen("tcp", *addr)
	if err != nil {
		log.Fatal(err)
	}
	log.Printf("gcpeer: self=%s addr=%s group=%s size=%d cache=%d", pool[0], ln.Addr(), *groupName, *size, *cacheSize)
	log.Fatal(http.Serve(ln, nil))
}
