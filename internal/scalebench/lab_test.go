package scalebench

import (
	"os"
	"path/filepath"
	"testing"

	"labcarbon/config"
	"labcarbon/internal/demo"
)

// TestConfigLoads checks that the generated config is a valid lab config
// that maps every partition of the big centre.
func TestConfigLoads(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "labcarbon.yaml")
	if err := os.WriteFile(path, Config(Users, "labcarbon.db", "data/*.txt"), 0o644); err != nil {
		t.Fatal(err)
	}
	cfg, err := config.Load(path)
	if err != nil {
		t.Fatal(err)
	}
	parts := demo.Partitions(Users)
	if got := len(cfg.Clusters[0].Partitions); got != len(parts) || len(parts) < 5 {
		t.Errorf("%d partitions mapped, the generator has %d", got, len(parts))
	}
	if cfg.Store.Path != filepath.Join(dir, "labcarbon.db") {
		t.Errorf("store path %s", cfg.Store.Path)
	}
}
