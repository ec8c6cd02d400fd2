package jsonv

// smallObject is the member count up to which Builder finds keys by
// scanning, as Object.Set does.
const smallObject = 8

// Builder builds an Object member by member with Object.Set's rule (a
// repeated key replaces the earlier value in place) in linear time: past a
// few members it finds keys through an index instead of scanning.
type Builder struct {
	o  *Object
	at map[string]int
}

// NewBuilder starts an object with room for n members.
func NewBuilder(n int) *Builder { return &Builder{o: NewObject(n)} }

// Set stores v under key.
func (b *Builder) Set(key string, v any) {
	ms := b.o.Members
	if b.at == nil && len(ms) < smallObject {
		b.o.Set(key, v)
		return
	}
	if b.at == nil {
		b.at = make(map[string]int, 2*len(ms))
		for i, m := range ms {
			if _, ok := b.at[m.Key]; !ok {
				b.at[m.Key] = i
			}
		}
	}
	if i, ok := b.at[key]; ok {
		ms[i].Value = v
		return
	}
	b.at[key] = len(ms)
	b.o.Members = append(ms, Member{Key: key, Value: v})
}

// Object is the object built.
func (b *Builder) Object() *Object { return b.o }
