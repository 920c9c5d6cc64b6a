package demo

import (
	"slices"
	"strings"
	"testing"
	"unicode/utf8"
)

func isASCIILogin(s string) bool {
	for _, c := range s {
		if !(c >= 'a' && c <= 'z' || c >= '0' && c <= '9') {
			return false
		}
	}
	return s != ""
}

// checkPopulation checks what every population must satisfy: unique ASCII
// logins and UIDs, every user in a listed group, every group led by one of
// its users.
func checkPopulation(t *testing.T, users []User, groups []Group) {
	t.Helper()
	logins, uids := map[string]bool{}, map[int]bool{}
	members := map[string][]string{}
	for _, u := range users {
		if !isASCIILogin(u.Login) {
			t.Errorf("login %q is not lower-case ASCII", u.Login)
		}
		if logins[u.Login] || uids[u.UID] {
			t.Errorf("login %q or UID %d repeated", u.Login, u.UID)
		}
		logins[u.Login], uids[u.UID] = true, true
		members[u.Account] = append(members[u.Account], u.Login)
		if u.Name == "" || u.Profile.JobShare <= 0 || u.Profile.Habit == "" {
			t.Errorf("user %q incomplete: %+v", u.Login, u)
		}
	}
	accounts := map[string]bool{}
	for _, g := range groups {
		accounts[g.Account] = true
		if !slices.Contains(members[g.Account], g.PI) {
			t.Errorf("group %s: PI %q is not one of its users %v", g.Account, g.PI, members[g.Account])
		}
	}
	for a := range members {
		if !accounts[a] {
			t.Errorf("account %s has users but is not a listed group", a)
		}
	}
}

func TestRoster(t *testing.T) {
	users, groups := Roster(), Groups()
	if len(users) != 40 || len(groups) != 6 {
		t.Fatalf("%d users in %d groups, want 40 in 6", len(users), len(groups))
	}
	checkPopulation(t, users, groups)

	nonASCII := 0
	for _, u := range users {
		if utf8.RuneCountInString(u.Name) != len(u.Name) {
			nonASCII++
		}
	}
	if nonASCII < 10 {
		t.Errorf("%d display names with non-ASCII letters, want many", nonASCII)
	}
	habits := map[string]int{}
	for _, u := range users {
		habits[strings.SplitN(u.Profile.Habit, ":", 2)[0]]++
	}
	if habits["wasteful"] < 5 || habits["efficient"] < 5 {
		t.Errorf("habits %v: want several wasteful and several efficient users", habits)
	}

	users[0].Login = "changed"
	if Roster()[0].Login == "changed" {
		t.Error("Roster returns the package's own slice")
	}
}

func TestPopulation(t *testing.T) {
	u40, g40 := Population(0)
	if len(u40) != 40 || len(g40) != 6 {
		t.Errorf("Population(0): %d users, %d groups", len(u40), len(g40))
	}

	few, fewGroups := Population(4)
	if len(few) != 4 || len(fewGroups) != 4 {
		t.Errorf("Population(4): %d users in %d groups, want the first four PIs", len(few), len(fewGroups))
	}
	checkPopulation(t, few, fewGroups)

	big, bigGroups := Population(2500)
	if len(big) != 2500 {
		t.Fatalf("Population(2500): %d users", len(big))
	}
	checkPopulation(t, big, bigGroups)
	if len(bigGroups) < 60 {
		t.Errorf("2500 users in %d groups, want groups of a few dozen", len(bigGroups))
	}
	if !slices.Equal(big[:40], u40) {
		t.Error("a large population does not start with the roster")
	}
	bigger, _ := Population(3000)
	for i := range big {
		if big[i] != bigger[i] {
			t.Fatalf("user %d differs between populations of 2500 and 3000: %+v, %+v", i, big[i], bigger[i])
		}
	}
	if len(Partitions(2500)) <= len(Partitions(40)) {
		t.Error("a big centre has no more partitions than the demo lab")
	}
}
