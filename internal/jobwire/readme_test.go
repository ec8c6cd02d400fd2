package jobwire

import (
	"bufio"
	"errors"
	"os"
	"strings"
	"testing"
)

// exchangeLine is one line of the README's "One exchange, message by
// message": a direction, a topic, whether it is retained, and the message.
type exchangeLine struct {
	in       bool
	topic    string
	retained bool
	payload  string // "" for an empty message
}

// The README shows a worker's whole exchange for workers in other
// languages; every line of it must be a message this package accepts, on
// the topic the contract puts it on.
func TestREADMEExchange(t *testing.T) {
	lines := readmeExchange(t, "../../README.md")
	if len(lines) < 8 {
		t.Fatalf("the README's exchange has %d lines, want the whole exchange", len(lines))
	}
	const worker, results = "tenant1/to/worker", "tenant1/to/lambda"
	jobs := map[string]Job{} // by token
	var kinds []Kind
	for i, l := range lines {
		if err := checkExchangeLine(l, worker, results, jobs, &kinds); err != nil {
			t.Errorf("README exchange line %d (%s): %v", i+1, l.topic, err)
		}
	}
	want := []Kind{KindProgress, KindHeartbeat, KindSuccess, KindCancel, KindFailure}
	if strings.Join(kindNames(kinds), ",") != strings.Join(kindNames(want), ",") {
		t.Errorf("the exchange shows %v, want %v", kinds, want)
	}
}

func checkExchangeLine(l exchangeLine, worker, results string, jobs map[string]Job, kinds *[]Kind) error {
	switch {
	case l.in && l.topic == worker:
		j, err := ParseJob([]byte(l.payload))
		jobs[j.TaskToken] = j
		return err
	case l.in && l.topic == ControlTopic(worker):
		_, err := ParseCancel([]byte(l.payload))
		*kinds = append(*kinds, KindCancel)
		return err
	case !l.in && l.topic == results:
		r, err := ParseResult([]byte(l.payload))
		if _, known := jobs[r.TaskToken]; err == nil && !known {
			return errors.New("a result for a job the exchange did not send")
		}
		*kinds = append(*kinds, r.Kind)
		return err
	case !l.in && strings.HasPrefix(l.topic, results+"/progress/"):
		return checkProgressLine(l, results, jobs, kinds)
	}
	return errors.New("a topic the contract does not use in this direction")
}

func checkProgressLine(l exchangeLine, results string, jobs map[string]Job, kinds *[]Kind) error {
	if !l.retained {
		return errors.New("progress is published retained")
	}
	if l.payload == "" {
		return nil // clears the report
	}
	r, err := ParseResult([]byte(l.payload))
	if err != nil {
		return err
	}
	if r.Kind != KindProgress {
		return errors.New("only progress goes to a progress topic")
	}
	if want := ProgressTopic(results, jobs[r.TaskToken]); l.topic != want {
		return errors.New("progress topic should be " + want)
	}
	*kinds = append(*kinds, KindProgress)
	return nil
}

// readmeExchange reads the text block under the README heading "One
// exchange, message by message".
func readmeExchange(t *testing.T, path string) []exchangeLine {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	var out []exchangeLine
	section, block := false, false
	sc := bufio.NewScanner(f)
	sc.Buffer(make([]byte, 64*1024), 1024*1024)
	for sc.Scan() {
		line := sc.Text()
		switch {
		case strings.HasPrefix(line, "### One exchange, message by message"):
			section = true
		case section && !block && line == "```text":
			block = true
		case block && line == "```":
			return out
		case block:
			out = append(out, parseExchangeLine(t, line))
		}
	}
	t.Fatal("the README has no exchange block")
	return nil
}

func parseExchangeLine(t *testing.T, line string) exchangeLine {
	t.Helper()
	dir, rest, _ := strings.Cut(line, " ")
	topic, rest, _ := strings.Cut(rest, " ")
	l := exchangeLine{in: dir == "←", topic: topic}
	if dir != "←" && dir != "→" {
		t.Fatalf("README exchange line %q: no direction", line)
	}
	if r, ok := strings.CutPrefix(rest, "(retained) "); ok {
		l.retained, rest = true, r
	}
	if rest != "(empty)" {
		l.payload = rest
	}
	return l
}

func kindNames(ks []Kind) []string {
	out := make([]string, len(ks))
	for i, k := range ks {
		out[i] = string(k)
	}
	return out
}
