package peer

import (
	"fmt"
	"testing"
	"time"
)

func metadataFor(i int) map[string]interface{} {
	deviceType := "sensor"
	if i%10 == 0 {
		deviceType = "gateway"
	}
	return map[string]interface{}{
		"device_type":      deviceType,
		"battery_level":    float64(i%1000) / 1000,
		"firmware_version": fmt.Sprintf("%d.%d.0", 1+i%3, i%5),
	}
}

// Built once, outside the timed loops, as in @muster/core's bench.
var metadata = func() []map[string]interface{} {
	out := make([]map[string]interface{}, 1000)
	for i := range out {
		out[i] = metadataFor(i)
	}
	return out
}()

func BenchmarkRegister(b *testing.B) {
	c := New()
	b.ReportAllocs()
	for i := 0; i < b.N; i++ {
		_ = c.Register(fmt.Sprintf("r-%d", i), metadata[i%1000], 0)
	}
}

func BenchmarkRegisterWithTTL(b *testing.B) {
	c := New()
	b.ReportAllocs()
	for i := 0; i < b.N; i++ {
		_ = c.Register(fmt.Sprintf("t-%d", i), metadata[i%1000], time.Minute)
	}
}

func BenchmarkUnregister(b *testing.B) {
	c := New()
	for i := 0; i < b.N; i++ {
		_ = c.Register(fmt.Sprintf("r-%d", i), metadata[i%1000], 0)
	}
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		c.Unregister(fmt.Sprintf("r-%d", i))
	}
}

func enumerateSet() *Coordinator {
	c := New()
	for i := 0; i < 1000; i++ {
		_ = c.Register(fmt.Sprintf("e%d", i), metadata[i], 0)
	}
	return c
}

func BenchmarkEnumerate1000NoFilter(b *testing.B) {
	c := enumerateSet()
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		if len(c.Enumerate(nil)) != 1000 {
			b.Fatal("enumerate returned too few")
		}
	}
}

func BenchmarkEnumerate1000Filter(b *testing.B) {
	c := enumerateSet()
	filter := And{Filters: []Filter{Lt{Field: "battery_level", Value: 0.5}, Eq{Field: "device_type", Value: "sensor"}}}
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		c.Enumerate(filter)
	}
}

func multicast(b *testing.B, size int) {
	c := New()
	for i := 0; i < size; i++ {
		id := fmt.Sprintf("m%d", i)
		_ = c.Register(id, metadata[i%1000], 0)
		messages := c.Subscribe(id)
		go func() {
			for range messages {
			}
		}()
	}
	payload := make([]byte, 64)
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		if len(c.Multicast(nil, payload)) != size {
			b.Fatal("multicast missed targets")
		}
	}
}

func BenchmarkMulticast10(b *testing.B)   { multicast(b, 10) }
func BenchmarkMulticast100(b *testing.B)  { multicast(b, 100) }
func BenchmarkMulticast1000(b *testing.B) { multicast(b, 1000) }
