// Package peer rebuilds, from the Go prototype's published summary (MEMO-018), the shape of its
// in-memory coordinator: a map of identities behind a RWMutex, a filter AST evaluated over
// metadata maps, and a multicast that fans out one goroutine per target to an in-memory
// messaging backend of buffered channels. It is not the prototype's code (that was never
// published); its benchmarks allocate about as much per operation as the summary's table says,
// so that run beside @muster/core's bench on the same machine they tell how fast this machine
// runs such Go code, next to the summary's figures from another machine.
package peer

import (
	"errors"
	"sort"
	"strings"
	"sync"
	"time"
)

// Identity is one registered identity.
type Identity struct {
	ID           string
	Metadata     map[string]interface{}
	RegisteredAt time.Time
	ExpiresAt    *time.Time
}

// Filter is a node of the filter AST: Eq, Lt, StartsWith and And here, as the benchmarks use.
type Filter interface {
	Matches(metadata map[string]interface{}) bool
}

// Eq matches metadata whose Field equals Value.
type Eq struct {
	Field string
	Value interface{}
}

// Lt matches metadata whose numeric Field is below Value.
type Lt struct {
	Field string
	Value float64
}

// StartsWith matches metadata whose string Field starts with Prefix.
type StartsWith struct {
	Field  string
	Prefix string
}

// And matches metadata every one of its Filters matches.
type And struct{ Filters []Filter }

func (f Eq) Matches(m map[string]interface{}) bool { return m[f.Field] == f.Value }

func (f Lt) Matches(m map[string]interface{}) bool {
	switch v := m[f.Field].(type) {
	case float64:
		return v < f.Value
	case int:
		return float64(v) < f.Value
	}
	return false
}

func (f StartsWith) Matches(m map[string]interface{}) bool {
	s, ok := m[f.Field].(string)
	return ok && strings.HasPrefix(s, f.Prefix)
}

func (f And) Matches(m map[string]interface{}) bool {
	for _, g := range f.Filters {
		if !g.Matches(m) {
			return false
		}
	}
	return true
}

// Messaging delivers payloads to subscribed identities through buffered channels.
type Messaging struct {
	mu          sync.RWMutex
	subscribers map[string]chan []byte
}

// ErrNoSubscriber is a publish to an identity nobody subscribed as.
var ErrNoSubscriber = errors.New("no subscriber")

// Subscribe returns the channel an identity's messages arrive on.
func (m *Messaging) Subscribe(id string) <-chan []byte {
	ch := make(chan []byte, 1024)
	m.mu.Lock()
	m.subscribers[id] = ch
	m.mu.Unlock()
	return ch
}

// Publish hands a payload to an identity's channel.
func (m *Messaging) Publish(id string, payload []byte) error {
	m.mu.RLock()
	ch, ok := m.subscribers[id]
	m.mu.RUnlock()
	if !ok {
		return ErrNoSubscriber
	}
	ch <- payload
	return nil
}

// Coordinator is the registry and the messaging backend together.
type Coordinator struct {
	mu         sync.RWMutex
	identities map[string]*Identity
	messaging  *Messaging
}

// New returns an empty coordinator.
func New() *Coordinator {
	return &Coordinator{
		identities: map[string]*Identity{},
		messaging:  &Messaging{subscribers: map[string]chan []byte{}},
	}
}

// Register stores an identity, with an expiry when ttl is positive.
func (c *Coordinator) Register(id string, metadata map[string]interface{}, ttl time.Duration) error {
	if id == "" {
		return errors.New("identity required")
	}
	now := time.Now()
	identity := &Identity{ID: id, Metadata: metadata, RegisteredAt: now}
	if ttl > 0 {
		expires := now.Add(ttl)
		identity.ExpiresAt = &expires
	}
	c.mu.Lock()
	c.identities[id] = identity
	c.mu.Unlock()
	return nil
}

// Unregister removes an identity.
func (c *Coordinator) Unregister(id string) {
	c.mu.Lock()
	delete(c.identities, id)
	c.mu.Unlock()
}

// Enumerate returns the live identities the filter matches (all of them when it is nil).
func (c *Coordinator) Enumerate(filter Filter) []*Identity {
	now := time.Now()
	var out []*Identity
	c.mu.RLock()
	for _, identity := range c.identities {
		if identity.ExpiresAt != nil && !identity.ExpiresAt.After(now) {
			continue
		}
		if filter == nil || filter.Matches(identity.Metadata) {
			out = append(out, identity)
		}
	}
	c.mu.RUnlock()
	return out
}

// Result is one target's delivery outcome.
type Result struct {
	ID  string
	Err error
}

// Multicast publishes payload to every identity the filter matches, one goroutine per target,
// and returns the outcomes sorted by identity.
func (c *Coordinator) Multicast(filter Filter, payload []byte) []Result {
	targets := c.Enumerate(filter)
	results := make([]Result, len(targets))
	var wg sync.WaitGroup
	wg.Add(len(targets))
	for i, target := range targets {
		go func(i int, id string) {
			defer wg.Done()
			results[i] = Result{ID: id, Err: c.messaging.Publish(id, payload)}
		}(i, target.ID)
	}
	wg.Wait()
	sort.Slice(results, func(a, b int) bool { return results[a].ID < results[b].ID })
	return results
}

// Subscribe returns the channel an identity's messages arrive on.
func (c *Coordinator) Subscribe(id string) <-chan []byte { return c.messaging.Subscribe(id) }
