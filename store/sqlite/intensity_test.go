package sqlite

import (
	"strings"
	"testing"
)

// TestIntensityQueryPlan pins what keeps a job's hourly lookup cheap on a
// store holding years of several zones: the primary key is searched by
// zone and hour range, and rows come in its order, unsorted.
func TestIntensityQueryPlan(t *testing.T) {
	db := openTemp(t)
	defer db.Close()
	rows, err := db.db.QueryContext(t.Context(), "EXPLAIN QUERY PLAN "+selectIntensity, "GB", 0, 3600)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	var plan []string
	for rows.Next() {
		var id, parent, unused int
		var detail string
		if err := rows.Scan(&id, &parent, &unused, &detail); err != nil {
			t.Fatal(err)
		}
		plan = append(plan, detail)
	}
	if err := rows.Err(); err != nil {
		t.Fatal(err)
	}
	text := strings.Join(plan, "\n")
	if !strings.Contains(text, "SEARCH intensity USING PRIMARY KEY (zone=? AND hour>? AND hour<?)") || strings.Contains(text, "TEMP B-TREE") {
		t.Errorf("query plan:\n%s", text)
	}
}
