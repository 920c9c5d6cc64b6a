package demo

import (
	"fmt"
	"math/rand/v2"
	"strconv"
)

// User is one researcher of the demo lab: who they are to Slurm and how they
// use the cluster.
type User struct {
	Login   string // Unix login, ASCII, as sacct's User column prints it
	Name    string // display name, often with non-ASCII letters
	Account string // Slurm account: the research group
	UID     int
	Profile Profile
}

// Profile is how a user's jobs behave. It is what makes the demo reports
// tell different stories about different people: the generator draws every
// job of the user from it.
type Profile struct {
	// JobShare is the user's relative job volume: a user with 2 submits
	// about twice as many jobs as one with 1.
	JobShare float64
	// CPUEfficiency is the mean share of allocated CPU time the user's jobs
	// use, and CPUEfficiencySpread its standard deviation between jobs. The
	// nature of a workload can lower it further.
	CPUEfficiency       float64
	CPUEfficiencySpread float64
	// MemOverRequest is requested memory ÷ peak memory used, typically:
	// 1.3 is careful, 10 asks for ten times what the job needs. Close to 1
	// means jobs often run out of memory.
	MemOverRequest float64
	// GPU says the user submits to GPU partitions at all.
	GPU bool
	// GPUUtilisation is the mean utilisation of the GPUs the user's jobs
	// hold, 0..1.
	GPUUtilisation float64
	// FailureRate multiplies the base rates of FAILED, OUT_OF_MEMORY and
	// NODE_FAIL jobs; 1 is typical, 5 is a pipeline that keeps failing and
	// is resubmitted unchanged.
	FailureRate float64
	// TimeLimitFactor is requested time limit ÷ the run time the user
	// expects; below about 1.5 many jobs time out, large values make the
	// scheduler's job harder.
	TimeLimitFactor float64
	// Habit says in a few words what is notable about the user, for demo
	// narratives and tests.
	Habit string
}

// Group is a research group: a Slurm account with its principal
// investigator.
type Group struct {
	Account string // Slurm account name
	Name    string // human name of the group
	PI      string // login of the principal investigator, one of the group's users
	GID     int    // Unix group id
}

// The behaviour archetypes the roster is made of. Wasteful habits are
// exaggerated enough that every recommendation rule has someone to find.
var (
	efficient = Profile{
		JobShare: 1, CPUEfficiency: 0.88, CPUEfficiencySpread: 0.06, MemOverRequest: 1.5,
		GPUUtilisation: 0.85, FailureRate: 0.5, TimeLimitFactor: 2,
		Habit: "efficient: right-sized cores, memory and time",
	}
	typical = Profile{
		JobShare: 1, CPUEfficiency: 0.62, CPUEfficiencySpread: 0.15, MemOverRequest: 2.2,
		GPUUtilisation: 0.6, FailureRate: 1, TimeLimitFactor: 3,
		Habit: "typical",
	}
	coreHoarder = Profile{
		JobShare: 1, CPUEfficiency: 0.1, CPUEfficiencySpread: 0.03, MemOverRequest: 2.5,
		GPUUtilisation: 0.5, FailureRate: 1, TimeLimitFactor: 6,
		Habit: "wasteful: asks for many cores and runs serial code (CPU efficiency 5-15%)",
	}
	memHoarder = Profile{
		JobShare: 1, CPUEfficiency: 0.55, CPUEfficiencySpread: 0.15, MemOverRequest: 10,
		GPUUtilisation: 0.5, FailureRate: 1, TimeLimitFactor: 3,
		Habit: "wasteful: requests about ten times the memory the jobs use",
	}
	gpuIdler = Profile{
		JobShare: 1, CPUEfficiency: 0.25, CPUEfficiencySpread: 0.1, MemOverRequest: 3,
		GPU: true, GPUUtilisation: 0.06, FailureRate: 1, TimeLimitFactor: 8,
		Habit: "wasteful: holds GPUs it barely uses (notebooks and debugging sessions left open)",
	}
	failing = Profile{
		JobShare: 1, CPUEfficiency: 0.5, CPUEfficiencySpread: 0.2, MemOverRequest: 1.05,
		GPUUtilisation: 0.5, FailureRate: 5, TimeLimitFactor: 1.1,
		Habit: "wasteful: a pipeline that keeps failing, running out of memory and timing out, resubmitted unchanged",
	}
)

// with returns p with the job share and GPU use given, so the roster table
// stays one line per person.
func (p Profile) with(share float64, gpu bool) Profile {
	p.JobShare = share
	p.GPU = p.GPU || gpu
	return p
}

// groups is the demo lab's research groups; the PI logins are in roster.
var groups = []Group{
	{Account: "genomics", Name: "Genomics", PI: "jnovak", GID: 5001},
	{Account: "neuroimaging", Name: "Neuroimaging", PI: "zdubois", GID: 5002},
	{Account: "climate", Name: "Climate Modelling", PI: "sostergaard", GID: 5003},
	{Account: "structbio", Name: "Structural Biology", PI: "jmunoz", GID: 5004},
	{Account: "ml", Name: "Machine Learning", PI: "aschafer", GID: 5005},
	{Account: "epidemiology", Name: "Epidemiology", PI: "aferreira", GID: 5006},
}

// roster is the 40 researchers of the demo lab, grouped by account with the
// PI first.
var roster = []User{
	{"jnovak", "Jiří Novák", "genomics", 51001, efficient.with(0.6, false)},
	{"lwisniewski", "Łukasz Wiśniewski", "genomics", 51002, efficient.with(2.5, false)},
	{"asharma", "Anika Sharma", "genomics", 51003, typical.with(1.5, false)},
	{"mdvorak", "Mikuláš Dvořák", "genomics", 51004, memHoarder.with(1.8, false)},
	{"echen", "Emily Chen", "genomics", 51005, typical.with(1, false)},
	{"bakesson", "Björn Åkesson", "genomics", 51006, typical.with(1.2, false)},
	{"atran", "Ngọc Anh Trần", "genomics", 51007, efficient.with(1.4, false)},

	{"zdubois", "Zoë Dubois", "neuroimaging", 51011, typical.with(0.5, true)},
	{"anibhriain", "Aoife Ní Bhriain", "neuroimaging", 51012, efficient.with(2, false)},
	{"mrossi", "Marco Rossi", "neuroimaging", 51013, typical.with(1.5, true)},
	{"hsato", "Haruto Satō", "neuroimaging", 51014, typical.with(1.2, false)},
	{"fmuller", "Friederike Müller", "neuroimaging", 51015, coreHoarder.with(1.6, false)},
	{"kobrien", "Kevin O'Brien", "neuroimaging", 51016, typical.with(0.9, false)},
	{"pkowalska", "Paulina Kowalska", "neuroimaging", 51017, efficient.with(1.1, true)},

	{"sostergaard", "Søren Østergaard", "climate", 51021, efficient.with(0.7, false)},
	{"ijohansson", "Ingrid Johansson", "climate", 51022, efficient.with(1.3, false)},
	{"rfernandes", "Rafael Fernandes", "climate", 51023, typical.with(1.2, false)},
	{"mgarcia", "María García", "climate", 51024, memHoarder.with(1, false)},
	{"dpetrov", "Dmitri Petrov", "climate", 51025, typical.with(1.4, false)},
	{"lhalvorsen", "Liv Halvorsen", "climate", 51026, coreHoarder.with(0.8, false)},

	{"jmunoz", "José Muñoz", "structbio", 51031, typical.with(0.6, true)},
	{"cyilmaz", "Çağla Yılmaz", "structbio", 51032, efficient.with(1.8, true)},
	{"wzhang", "Wei Zhang", "structbio", 51033, typical.with(1.5, true)},
	{"nokafor", "Ngozi Okafor", "structbio", 51034, failing.with(1.4, true)},
	{"ebrown", "Ethan Brown", "structbio", 51035, typical.with(1, false)},
	{"ahansen", "Astrid Hansen", "structbio", 51036, efficient.with(1.1, true)},
	{"gkovacs", "Gábor Kovács", "structbio", 51037, typical.with(0.8, true)},

	{"aschafer", "Andreas Schäfer", "ml", 51041, efficient.with(0.5, true)},
	{"mkim", "Minji Kim", "ml", 51042, efficient.with(1.6, true)},
	{"lpetit", "Léa Petit", "ml", 51043, typical.with(1.5, true)},
	{"rsingh", "Rohan Singh", "ml", 51044, gpuIdler.with(1.3, true)},
	{"tlindqvist", "Tove Lindqvist", "ml", 51045, typical.with(1.2, true)},
	{"ysuzuki", "Yuki Suzuki", "ml", 51046, typical.with(1, false)},
	{"oadeyemi", "Olamide Adeyemi", "ml", 51047, efficient.with(1.3, true)},

	{"aferreira", "Ana Lúcia Ferreira", "epidemiology", 51051, efficient.with(0.5, false)},
	{"cmoreau", "Chloé Moreau", "epidemiology", 51052, typical.with(1.5, false)},
	{"nbjork", "Nils Björk", "epidemiology", 51053, efficient.with(1.8, false)},
	{"snowak", "Szymon Nowak", "epidemiology", 51054, failing.with(1.5, false)},
	{"hlee", "Hana Lee", "epidemiology", 51055, typical.with(1, false)},
	{"eolsen", "Emma Olsen", "epidemiology", 51056, coreHoarder.with(1, false)},
}

// Roster returns the 40 researchers of the demo lab, grouped by account
// with each group's PI first. The slice is a copy: callers may change it.
func Roster() []User { return append([]User(nil), roster...) }

// Groups returns the six research groups of the demo lab with their PIs.
// The slice is a copy.
func Groups() []Group { return append([]Group(nil), groups...) }

// Population returns the users and groups of a lab with n users, the same
// ones Generate draws jobs from with Options.Users = n. Up to the roster's
// size it is a subset of the roster that keeps every PI of a represented
// group; beyond it, synthetic researchers with ASCII logins are added in
// further groups of about 35, each led by its first member. Users depend
// only on their position, so for 40 ≤ n < m the users of Population(n)
// begin those of Population(m). n ≤ 0 means the roster.
func Population(n int) ([]User, []Group) {
	if n <= 0 {
		n = len(roster)
	}
	if n <= len(roster) {
		return rosterSubset(n)
	}
	users := Roster()
	gs := Groups()
	taken := make(map[string]bool, n)
	for _, u := range roster {
		taken[u.Login] = true
	}
	for i := len(roster); i < n; i++ {
		k := (i - len(roster)) / syntheticGroupSize
		if k == len(gs)-len(groups) {
			gs = append(gs, syntheticGroup(k))
		}
		u := syntheticUser(i, gs[len(groups)+k].Account, taken)
		if gs[len(groups)+k].PI == "" {
			gs[len(groups)+k].PI = u.Login
		}
		users = append(users, u)
	}
	return users, gs
}

// rosterSubset picks n roster users, the PIs first so that every group
// that appears has its PI, and returns them in roster order with the
// groups they belong to.
func rosterSubset(n int) ([]User, []Group) {
	keep := make(map[string]bool, n)
	for _, g := range groups {
		if len(keep) < n {
			keep[g.PI] = true
		}
	}
	for _, u := range roster {
		if len(keep) < n {
			keep[u.Login] = true
		}
	}
	var users []User
	accounts := make(map[string]bool)
	for _, u := range roster {
		if keep[u.Login] {
			users = append(users, u)
			accounts[u.Account] = true
		}
	}
	var gs []Group
	for _, g := range groups {
		if accounts[g.Account] {
			gs = append(gs, g)
		}
	}
	return users, gs
}

// syntheticGroupSize is how many synthetic users share a group, about the
// size of the demo lab's groups.
const syntheticGroupSize = 35

// extraGroups names the synthetic groups of a large population before they
// fall back to numbered projects.
var extraGroups = []string{
	"physics", "chemistry", "astro", "materials", "bioinfo", "economics",
	"linguistics", "ecology", "oceanography", "robotics", "psychology",
	"pharmacology", "geoscience", "cosmology", "proteomics", "hydrology",
	"seismology", "agronomy", "immunology", "optics",
}

// syntheticGroup returns the k-th group beyond the demo lab's; its PI is
// filled in by its first member.
func syntheticGroup(k int) Group {
	account := "proj" + strconv.Itoa(k+1)
	if k < len(extraGroups) {
		account = extraGroups[k]
	}
	return Group{Account: account, Name: "Group " + account, GID: 6001 + k}
}

// discipline tells which demo group's workloads the group at groupIndex in
// Population's list runs: the demo groups their own, synthetic groups
// those of the demo groups in turn, so a large centre has the same mix of
// work.
func discipline(groupIndex int) int { return groupIndex % len(groups) }

// Name parts of synthetic users: display spelling and the ASCII the login
// is made from.
var (
	givenNames = [][2]string{
		{"Anna", "anna"}, {"Åsa", "asa"}, {"Bartosz", "bartosz"}, {"Chiara", "chiara"},
		{"Dagný", "dagny"}, {"Élodie", "elodie"}, {"Farid", "farid"}, {"Grete", "grete"},
		{"Hiroshi", "hiroshi"}, {"Ines", "ines"}, {"Jörg", "jorg"}, {"Kaja", "kaja"},
		{"Luis", "luis"}, {"Maëlle", "maelle"}, {"Nikolai", "nikolai"}, {"Oona", "oona"},
		{"Pál", "pal"}, {"Quentin", "quentin"}, {"Radka", "radka"}, {"Siobhán", "siobhan"},
		{"Tomás", "tomas"}, {"Ulla", "ulla"}, {"Vít", "vit"}, {"Wanjiru", "wanjiru"},
		{"Xavier", "xavier"}, {"Yara", "yara"}, {"Zdeněk", "zdenek"},
	}
	surnames = [][2]string{
		{"Andersen", "andersen"}, {"Bąk", "bak"}, {"Castillo", "castillo"},
		{"Dąbrowska", "dabrowska"}, {"Eriksson", "eriksson"}, {"Fišer", "fiser"},
		{"Gonçalves", "goncalves"}, {"Hoffmann", "hoffmann"}, {"Ivanova", "ivanova"},
		{"Jokinen", "jokinen"}, {"Kovačević", "kovacevic"}, {"Laurent", "laurent"},
		{"Mäkinen", "makinen"}, {"Nakamura", "nakamura"}, {"Oliveira", "oliveira"},
		{"Pérez", "perez"}, {"Quinn", "quinn"}, {"Rønning", "ronning"}, {"Šimek", "simek"},
		{"Takahashi", "takahashi"}, {"Uçar", "ucar"}, {"Virtanen", "virtanen"},
		{"Weiß", "weiss"}, {"Xu", "xu"}, {"Yılmaz", "yilmaz"}, {"Żak", "zak"},
	}
)

// syntheticUser makes the i-th user of a large population. Everything
// about it comes from i alone, so populations of different sizes agree on
// the users they share; taken keeps logins unique.
func syntheticUser(i int, account string, taken map[string]bool) User {
	j := i - len(roster)
	given := givenNames[j%len(givenNames)]
	surname := surnames[(j/len(givenNames)+j)%len(surnames)]
	login := given[1][:1] + surname[1]
	for n := 2; taken[login]; n++ {
		login = given[1][:1] + surname[1] + strconv.Itoa(n)
	}
	taken[login] = true

	r := rand.New(rand.NewPCG(uint64(i), 0x5eed5eed))
	var p Profile
	switch x := r.Float64(); {
	case x < 0.55:
		p = typical
	case x < 0.77:
		p = efficient
	case x < 0.85:
		p = coreHoarder
	case x < 0.91:
		p = memHoarder
	case x < 0.96:
		p = gpuIdler
	default:
		p = failing
	}
	// A synthetic user's share varies four-fold, like the roster's.
	p = p.with(0.5+1.5*r.Float64(), r.Float64() < 0.4)
	return User{
		Login:   login,
		Name:    fmt.Sprintf("%s %s", given[0], surname[0]),
		Account: account,
		UID:     52000 + j,
		Profile: p,
	}
}
