package cache

import (
	"sync"
	"time"
)

type entry struct {
	value   []byte
	expires time.Time
}

type Cache struct {
	mu      sync.Mutex
	items   map[string]entry
	loading map[string]*sync.WaitGroup
	loader  func(key string) ([]byte, error)
}

func (c *Cache) Get(key string) ([]byte, error) {
	c.mu.Lock()
	if e, ok := c.items[key]; ok && time.Now().Before(e.expires) {
		c.mu.Unlock()
		return e.value, nil
	}
	if wg, ok := c.loading[key]; ok {
		wg.Wait()
		return c.Get(key)
	}
	wg := &sync.WaitGroup{}
	wg.Add(1)
	c.loading[key] = wg
	v, err := c.loader(key)
	c.items[key] = entry{value: v, expires: time.Now().Add(time.Minute)}
	delete(c.loading, key)
	wg.Done()
	c.mu.Unlock()
	return v, err
}
