package pipeline

import (
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"

	"labcarbon"
	"labcarbon/config"
)

// people answers who is behind a job, as the config says: the group it
// counts under, the group's PI, and how a login is printed.
type people struct {
	cfg *config.Config
	// groupOfAccount maps the Slurm accounts the config's groups list to
	// their group.
	groupOfAccount map[string]string
	// pseudonymKey keys the pseudonyms; nil unless the lab asks for them.
	pseudonymKey []byte
}

func newPeople(cfg *config.Config) (*people, error) {
	pp := &people{cfg: cfg, groupOfAccount: map[string]string{}}
	for _, g := range cfg.Groups {
		for _, a := range g.Accounts {
			pp.groupOfAccount[a] = g.Name
		}
	}
	if cfg.Privacy.PseudonymiseUsers {
		key, err := pseudonymKey(cfg.Privacy.PseudonymKeyFile)
		if err != nil {
			return nil, err
		}
		pp.pseudonymKey = key
	}
	return pp, nil
}

// groupOf counts a job under the group the config gives its user, else the
// group that lists its account, else its Slurm account.
func (pp *people) groupOf(u *labcarbon.Usage) string {
	if g := pp.cfg.Users[u.User].Group; g != "" {
		return g
	}
	if g, ok := pp.groupOfAccount[u.Account]; ok {
		return g
	}
	return u.Account
}

// piOf returns how the report prints a group's PI, "" when the config
// names none.
func (pp *people) piOf(group string) string {
	for _, g := range pp.cfg.Groups {
		if g.Name == group && g.PI != "" {
			if _, isLogin := pp.cfg.Users[g.PI]; isLogin {
				return pp.userLabel(g.PI)
			}
			return g.PI
		}
	}
	return ""
}

// userLabel prints a login as the person's name, or as a stable pseudonym
// when the lab asks for one. Pseudonyms are keyed with a secret, since a
// plain hash of a login is reversed by hashing the lab's list of logins.
func (pp *people) userLabel(login string) string {
	if pp.pseudonymKey != nil {
		return pp.jobUser(login)
	}
	if name := pp.cfg.Users[login].Name; name != "" {
		return name + " (" + login + ")"
	}
	return login
}

// jobUser names a login in the lists of every job, where scripts join on
// it: the login itself, or its pseudonym when the lab asks for them.
func (pp *people) jobUser(login string) string {
	if pp.pseudonymKey == nil {
		return login
	}
	m := hmac.New(sha256.New, pp.pseudonymKey)
	m.Write([]byte(login))
	// 32 bits: among 10,000 users the chance of two sharing a pseudonym
	// is about 1 in 100.
	return "user-" + hex.EncodeToString(m.Sum(nil)[:4])
}

// personName is how a statement, which goes to the person alone, addresses
// a login: their name, never a pseudonym.
func (pp *people) personName(login string) string {
	if name := pp.cfg.Users[login].Name; name != "" {
		return name
	}
	return login
}

// pseudonymKey reads the secret at path, creating it (random, readable by
// its owner only) when it does not exist yet. The new key is written whole
// to a temporary file and linked into place, which fails if another
// process made one first: both then use the same key.
func pseudonymKey(path string) ([]byte, error) {
	b, err := os.ReadFile(path)
	if errors.Is(err, fs.ErrNotExist) {
		if err := createPseudonymKey(path); err != nil {
			return nil, fmt.Errorf("create pseudonym key: %w", err)
		}
		b, err = os.ReadFile(path)
	}
	if err != nil {
		return nil, fmt.Errorf("read pseudonym key: %w", err)
	}
	key, err := hex.DecodeString(strings.TrimSpace(string(b)))
	if err != nil || len(key) < 16 {
		return nil, fmt.Errorf("pseudonym key %s: want at least 32 hex digits", path)
	}
	return key, nil
}

func createPseudonymKey(path string) error {
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		return err
	}
	f, err := os.CreateTemp(filepath.Dir(path), ".pseudonym-key-*")
	if err != nil {
		return err
	}
	defer os.Remove(f.Name())
	if err := f.Chmod(0o600); err != nil {
		f.Close()
		return err
	}
	key := make([]byte, 32)
	rand.Read(key) // never fails (crypto/rand)
	_, err = f.WriteString(hex.EncodeToString(key) + "\n")
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return err
	}
	if err := os.Link(f.Name(), path); err != nil && !errors.Is(err, fs.ErrExist) {
		return err
	}
	return nil
}
