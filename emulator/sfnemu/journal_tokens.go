package sfnemu

import (
	"fmt"
	"strconv"
	"strings"

	"github.com/stepwire/stepwire/emulator/interp"
)

// Task tokens in the journal (docs/durability.md §6). A token is a
// function of the token key, the execution and a sequence number
// (tokens.go), so the journal keeps the number: a drawn token as its
// number in the step's draws, and the token of a SendTask* call as
// "#<number>" in the event, each minted again on replay. A token that
// minting does not give back (issued before tokens were a function of
// their fields) is kept whole.

// shortTokenPrefix starts a token kept by its number; a real token is
// base64, which has no '#'.
const shortTokenPrefix = "#"

// journaledToken draws e's next token with newToken, recording its
// number, or while replaying mints again the one drawn then. e.mu is
// held.
func (s *Service) journaledToken(e *execution, newToken func() string) string {
	if r := e.jr.replay; r != nil {
		switch {
		case len(r.Tokens) > 0:
			t := r.Tokens[0]
			r.Tokens = r.Tokens[1:]
			if ref, err := s.tokens.parse(t); err == nil && ref.seq > e.tokenSeq {
				e.tokenSeq = ref.seq
			}
			return t
		case len(r.TokenSeqs) > 0:
			seq := r.TokenSeqs[0]
			r.TokenSeqs = r.TokenSeqs[1:]
			e.tokenSeq = max(e.tokenSeq, seq)
			return s.tokens.mint(e.id, seq)
		}
	}
	t := newToken()
	e.jr.draws.TokenSeqs = append(e.jr.draws.TokenSeqs, e.tokenSeq)
	return t
}

// shortToken returns ev with its token replaced by "#<number>" when the
// token is one of e's that minting gives back.
func (s *Service) shortToken(e *execution, ev interp.Event) interp.Event {
	ev, _ = withToken(ev, func(token string) (string, error) { return s.tokenNumber(e, token), nil })
	return ev
}

func (s *Service) tokenNumber(e *execution, token string) string {
	ref, err := s.tokens.parse(token)
	if err != nil || ref.exec != e.id || !s.tokens.current(ref) || s.tokens.mint(e.id, ref.seq) != token {
		return token
	}
	return shortTokenPrefix + strconv.FormatUint(uint64(ref.seq), 10)
}

// fullToken is the inverse of shortToken.
func (s *Service) fullToken(e *execution, ev interp.Event) (interp.Event, error) {
	return withToken(ev, func(token string) (string, error) { return s.mintNumbered(e, token) })
}

// withToken returns ev with the token of a SendTask* event replaced by
// f's answer; other events as they are.
func withToken(ev interp.Event, f func(string) (string, error)) (interp.Event, error) {
	var err error
	switch ev := ev.(type) {
	case interp.CallbackSuccess:
		ev.Token, err = f(ev.Token)
		return ev, err
	case interp.CallbackFailure:
		ev.Token, err = f(ev.Token)
		return ev, err
	case interp.CallbackHeartbeat:
		ev.Token, err = f(ev.Token)
		return ev, err
	}
	return ev, nil
}

func (s *Service) mintNumbered(e *execution, token string) (string, error) {
	n, ok := strings.CutPrefix(token, shortTokenPrefix)
	if !ok {
		return token, nil
	}
	seq, err := strconv.ParseUint(n, 10, 32)
	if err != nil {
		return "", fmt.Errorf("task token %q: %w", token, err)
	}
	return s.tokens.mint(e.id, uint32(seq)), nil
}
