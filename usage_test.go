package labcarbon

import "testing"

func TestStates(t *testing.T) {
	for s, want := range map[State][2]bool{ // final, wasted
		StateCompleted:   {true, false},
		StateRunning:     {false, false},
		StatePending:     {false, false},
		StateFailed:      {true, true},
		StateTimeout:     {true, true},
		StateOutOfMemory: {true, true},
		StateCancelled:   {true, true},
		StateNodeFail:    {true, true},
		StateRequeued:    {true, true},
		StatePreempted:   {true, true},
		"COMPLETING":     {false, false},
	} {
		if s.Final() != want[0] || s.Wasted() != want[1] {
			t.Errorf("%s: final %v wasted %v, want %v %v", s, s.Final(), s.Wasted(), want[0], want[1])
		}
	}
}
