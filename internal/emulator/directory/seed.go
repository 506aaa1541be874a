package directory

import (
	"bytes"
	_ "embed"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"strings"
	"time"

	"github.com/entragov/terraform-provider-entragov/internal/emulator/store"
	"github.com/entragov/terraform-provider-entragov/internal/emulator/wire"
)

// The seeded Contoso directory. Its objects have fixed ids, so docs, examples and
// tests can name them; seed.json holds the objects and these constants
// name the ones worth naming (a test checks that they agree).
const (
	SeedTenantDomain = "contoso.onmicrosoft.com"

	// Member users (userType Member, companyName Contoso); UPN <Nick>@contoso.onmicrosoft.com.
	SeedUserPattiID   = "5eed0001-0000-4000-8000-000000000001" // Patti Fernandez, Operations, President; no manager
	SeedUserAdeleID   = "5eed0001-0000-4000-8000-000000000002" // Adele Vance, Sales, Sales Manager; manager Patti
	SeedUserIsaiahID  = "5eed0001-0000-4000-8000-000000000003" // Isaiah Langer, Sales, Sales Representative; manager Adele
	SeedUserMeganID   = "5eed0001-0000-4000-8000-000000000004" // Megan Bowen, Marketing, Marketing Manager; manager Patti
	SeedUserAlexID    = "5eed0001-0000-4000-8000-000000000005" // Alex Wilber, Marketing, Marketing Assistant; manager Megan; employeeLeaveDateTime 2027-06-30
	SeedUserLeeID     = "5eed0001-0000-4000-8000-000000000006" // Lee Gu, Engineering, Engineering Director; manager Patti
	SeedUserJohannaID = "5eed0001-0000-4000-8000-000000000007" // Johanna Lorenz, Engineering, Senior Engineer; manager Lee
	SeedUserGradyID   = "5eed0001-0000-4000-8000-000000000008" // Grady Archie, Engineering, Software Engineer; manager Lee; hired 2027-02-01, account disabled
	SeedUserLynneID   = "5eed0001-0000-4000-8000-000000000009" // Lynne Robbins, Finance, Finance Manager; manager Patti
	SeedUserNestorID  = "5eed0001-0000-4000-8000-000000000010" // Nestor Wilke, Operations, Operations Analyst; no manager

	// Guests from Fabrikam (userType Guest, externalUserState Accepted, creationType Invitation),
	// mail <x>@fabrikam.com, UPN <x>_fabrikam.com#EXT#@contoso.onmicrosoft.com.
	SeedGuestBenID   = "5eed0001-0000-4000-8000-000000000101" // Ben Walters (Fabrikam), ben@fabrikam.com
	SeedGuestCarlaID = "5eed0001-0000-4000-8000-000000000102" // Carla Ortiz (Fabrikam), carla@fabrikam.com
	SeedGuestDanID   = "5eed0001-0000-4000-8000-000000000103" // Dan Jump (Fabrikam), dan@fabrikam.com

	// Groups (security groups, no mail).
	SeedGroupSalesID            = "5eed0002-0000-4000-8000-000000000001" // Sales: Adele, Isaiah
	SeedGroupMarketingID        = "5eed0002-0000-4000-8000-000000000002" // Marketing: Megan, Alex
	SeedGroupEngineeringID      = "5eed0002-0000-4000-8000-000000000003" // Engineering: Lee, Johanna, Grady
	SeedGroupFinanceID          = "5eed0002-0000-4000-8000-000000000004" // Finance: Lynne
	SeedGroupProjectFalconID    = "5eed0002-0000-4000-8000-000000000005" // Project Falcon: Johanna, Grady, Megan
	SeedGroupFabrikamPartnersID = "5eed0002-0000-4000-8000-000000000006" // Fabrikam partners: the three guests
	SeedGroupAllSalesDynamicID  = "5eed0002-0000-4000-8000-000000000007" // All Sales (dynamic): (user.department -eq "Sales")

	// Applications (object id, appId), their service principals and app roles.
	SeedAppExpensesID                 = "5eed0003-0000-4000-8000-000000000001" // Contoso Expenses
	SeedAppExpensesAppID              = "5eed0004-0000-4000-8000-000000000001"
	SeedAppExpensesSPID               = "5eed0005-0000-4000-8000-000000000001"
	SeedAppExpensesRoleSubmitterID    = "5eed0006-0000-4000-8000-000000000001" // value Expenses.Submit
	SeedAppExpensesRoleApproverID     = "5eed0006-0000-4000-8000-000000000002" // value Expenses.Approve
	SeedAppExpensesRoleAuditorID      = "5eed0006-0000-4000-8000-000000000003" // value Expenses.Audit (User and Application)
	SeedAppPartnerPortalID            = "5eed0003-0000-4000-8000-000000000002" // Fabrikam Partner Portal
	SeedAppPartnerPortalAppID         = "5eed0004-0000-4000-8000-000000000002"
	SeedAppPartnerPortalSPID          = "5eed0005-0000-4000-8000-000000000002"
	SeedAppPartnerPortalRoleReaderID  = "5eed0006-0000-4000-8000-000000000004" // value Portal.Read
	SeedAppPartnerPortalRoleContribID = "5eed0006-0000-4000-8000-000000000005" // value Portal.Contribute
	SeedAppWikiID                     = "5eed0003-0000-4000-8000-000000000003" // Contoso Wiki, no app roles
	SeedAppWikiAppID                  = "5eed0004-0000-4000-8000-000000000003"
	SeedAppWikiSPID                   = "5eed0005-0000-4000-8000-000000000003"
)

// seedDefault is the default directory; a -seed-file (emulator.Config.SeedFile) has the same
// shape and replaces it.
//
//go:embed seed.json
var seedDefault []byte

// DefaultDirectorySeed returns the embedded default directory seed (JSON), the
// format Config.SeedFile expects.
func DefaultDirectorySeed() []byte { return bytes.Clone(seedDefault) }

// seedFileFormat is the seed format: Graph JSON objects, plus "manager" (a user id) on
// users and "members" (ids of users, groups and service principals) on groups.
type seedFileFormat struct {
	Users             []map[string]any `json:"users"`
	Groups            []map[string]any `json:"groups"`
	Applications      []map[string]any `json:"applications"`
	ServicePrincipals []map[string]any `json:"servicePrincipals"`
}

// seedPlan is a validated seed: the documents to store and the links.
type seedPlan struct {
	users, groups, apps, sps []map[string]any
	managers, members        [][2]string // {userId, managerId}, {groupId, memberId}
}

const seedCreated = "2024-01-15T09:00:00Z"

// loadSeed reads Config.SeedFile, or the embedded default when it is empty.
func loadSeed(path string) (*seedPlan, error) {
	if path == "" {
		return parseSeed(seedDefault, "default directory seed")
	}
	raw, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("emulator: seed file: %w", err)
	}
	return parseSeed(raw, "seed file "+path)
}

// seedError is one problem in a seed, located by kind, index and id.
func seedError(source, kind string, i int, obj map[string]any, err error) error {
	msg := err.Error()
	var ae *wire.Error
	if errors.As(err, &ae) {
		msg = ae.Message
	}
	where := fmt.Sprintf("%s[%d]", kind, i)
	if id, _ := obj["id"].(string); id != "" {
		where += " (" + id + ")"
	} else if dn, _ := obj["displayName"].(string); dn != "" {
		where += fmt.Sprintf(" (%q)", dn)
	}
	return fmt.Errorf("emulator: %s: %s: %s", source, where, msg)
}

func parseSeed(raw []byte, source string) (*seedPlan, error) {
	dec := json.NewDecoder(bytes.NewReader(raw))
	dec.DisallowUnknownFields()
	dec.UseNumber()
	var f seedFileFormat
	if err := dec.Decode(&f); err != nil {
		return nil, fmt.Errorf("emulator: %s: %w (top-level keys: users, groups, applications, servicePrincipals)", source, err)
	}
	if _, err := dec.Token(); err != io.EOF {
		return nil, fmt.Errorf("emulator: %s: data after the JSON object", source)
	}
	p := &seedParser{source: source, plan: &seedPlan{}, kinds: map[string]string{}, upns: map[string]bool{}, managers: map[string]string{}}
	for _, step := range []func(seedFileFormat) error{p.users, p.applications, p.servicePrincipals, p.groups, p.userManagers} {
		if err := step(f); err != nil {
			return nil, err
		}
	}
	return p.plan, nil
}

// seedParser checks a seed one kind of object after the other, keeping what later kinds refer to.
type seedParser struct {
	source   string
	plan     *seedPlan
	kinds    map[string]string // id -> collection
	upns     map[string]bool
	managers map[string]string // user id -> manager id, checked once every user is known
}

// claim reserves an object's id: fixed, a GUID, and used once across every kind.
func (p *seedParser) claim(kind string, i int, obj map[string]any) (string, error) {
	id, ok := obj["id"].(string)
	if !ok || id == "" {
		return "", seedError(p.source, kind, i, obj, errors.New("id is missing (seeded objects need fixed ids)"))
	}
	if _, err := convGUID("id", id); err != nil {
		return "", seedError(p.source, kind, i, obj, fmt.Errorf("id %q is not a GUID", id))
	}
	id = store.NormID(id)
	if other, dup := p.kinds[id]; dup {
		return "", seedError(p.source, kind, i, obj, fmt.Errorf("id is already used by an object in %s", other))
	}
	p.kinds[id] = kind
	return id, nil
}

func (p *seedParser) users(f seedFileFormat) error {
	for i, u := range f.Users {
		id, err := p.claim(Users, i, u)
		if err != nil {
			return err
		}
		in, err := userType.validate(u, true, true, "manager")
		if err != nil {
			return seedError(p.source, Users, i, u, err)
		}
		delete(in, "passwordProfile")
		obj := newUser(in, id, seedCreatedOf(in))
		upn := strOf(obj["userPrincipalName"])
		if err := checkUPN(upn); err != nil {
			return seedError(p.source, Users, i, u, err)
		}
		if p.upns[strings.ToLower(upn)] {
			return seedError(p.source, Users, i, u, errors.New(strings.TrimSuffix(msgUPNExists, ".")))
		}
		p.upns[strings.ToLower(upn)] = true
		if m, ok := u["manager"]; ok && m != nil {
			ms, ok := m.(string)
			if !ok {
				return seedError(p.source, Users, i, u, errors.New(`"manager" must be the id of a seeded user`))
			}
			p.managers[id] = store.NormID(ms)
		}
		p.plan.users = append(p.plan.users, obj)
	}
	return nil
}

func (p *seedParser) applications(f seedFileFormat) error {
	for i, a := range f.Applications {
		id, err := p.claim(Applications, i, a)
		if err != nil {
			return err
		}
		in, err := applicationType.validate(a, true, true)
		if err != nil {
			return seedError(p.source, Applications, i, a, err)
		}
		appID, _ := in["appId"].(string)
		if appID == "" {
			return seedError(p.source, Applications, i, a, errors.New("appId is missing (seeded applications need fixed appIds)"))
		}
		for _, other := range p.plan.apps {
			if other["appId"] == appID {
				return seedError(p.source, Applications, i, a, fmt.Errorf("appId %s is already used by application %s", appID, other["id"]))
			}
		}
		obj, err := newApplication(in, id, appID, seedCreatedOf(in), true)
		if err != nil {
			return seedError(p.source, Applications, i, a, err)
		}
		p.plan.apps = append(p.plan.apps, obj)
	}
	return nil
}

func (p *seedParser) servicePrincipals(f seedFileFormat) error {
	for i, sp := range f.ServicePrincipals {
		id, err := p.claim(ServicePrincipals, i, sp)
		if err != nil {
			return err
		}
		in, err := servicePrincipalType.validate(sp, true, true)
		if err != nil {
			return seedError(p.source, ServicePrincipals, i, sp, err)
		}
		var app map[string]any
		for _, a := range p.plan.apps {
			if a["appId"] == in["appId"] {
				app = a
			}
		}
		if app == nil {
			return seedError(p.source, ServicePrincipals, i, sp, fmt.Errorf("appId %v does not name a seeded application", in["appId"]))
		}
		for _, other := range p.plan.sps {
			if other["appId"] == in["appId"] {
				return seedError(p.source, ServicePrincipals, i, sp, fmt.Errorf("application %v already has service principal %s", in["appId"], other["id"]))
			}
		}
		if roles, ok := in["appRoles"]; ok {
			norm, err := normAppRoles(roles, true)
			if err != nil {
				return seedError(p.source, ServicePrincipals, i, sp, err)
			}
			in["appRoles"] = norm
		}
		p.plan.sps = append(p.plan.sps, newServicePrincipal(in, id, app))
	}
	return nil
}

// groups come last among the objects so members can be checked against all kinds.
func (p *seedParser) groups(f seedFileFormat) error {
	for i, g := range f.Groups {
		if _, err := p.claim(Groups, i, g); err != nil {
			return err
		}
	}
	for i, g := range f.Groups {
		id := store.NormID(g["id"].(string))
		in, err := groupType.validate(g, true, true, "members")
		if err != nil {
			return seedError(p.source, Groups, i, g, err)
		}
		obj := newGroup(in, id, seedCreatedOf(in))
		if err := checkGroup(obj, true); err != nil {
			return seedError(p.source, Groups, i, g, err)
		}
		if err := p.groupMembers(i, g, id, obj); err != nil {
			return err
		}
		p.plan.groups = append(p.plan.groups, obj)
	}
	return nil
}

// groupMembers checks a seeded group's "members": ids of seeded users, groups or service principals.
func (p *seedParser) groupMembers(i int, g map[string]any, id string, obj map[string]any) error {
	raw, has := g["members"]
	if !has || raw == nil {
		return nil
	}
	list, ok := raw.([]any)
	if !ok {
		return seedError(p.source, Groups, i, g, errors.New(`"members" must be an array of object ids`))
	}
	if len(list) > 0 && isDynamic(obj) {
		return seedError(p.source, Groups, i, g, errors.New(`a group with dynamic membership cannot list "members"`))
	}
	seen := map[string]bool{}
	for _, x := range list {
		m, _ := x.(string)
		m = store.NormID(m)
		switch p.kinds[m] {
		case Users, Groups, ServicePrincipals:
		default:
			return seedError(p.source, Groups, i, g, fmt.Errorf("member %v is not the id of a seeded user, group or service principal", x))
		}
		if m == id {
			return seedError(p.source, Groups, i, g, errors.New("a group cannot be a member of itself"))
		}
		if seen[m] {
			return seedError(p.source, Groups, i, g, fmt.Errorf("member %s is listed twice", m))
		}
		seen[m] = true
		p.plan.members = append(p.plan.members, [2]string{id, m})
	}
	return nil
}

// userManagers checks the users' managers once every user is known.
func (p *seedParser) userManagers(f seedFileFormat) error {
	for i, u := range f.Users {
		id := store.NormID(u["id"].(string))
		m, ok := p.managers[id]
		if !ok {
			continue
		}
		if p.kinds[m] != Users {
			return seedError(p.source, Users, i, u, fmt.Errorf("manager %s is not the id of a seeded user", m))
		}
		if m == id {
			return seedError(p.source, Users, i, u, errors.New("a user cannot be their own manager"))
		}
		p.plan.managers = append(p.plan.managers, [2]string{id, m})
	}
	return nil
}

// seedCreatedOf is a seeded object's createdDateTime: its own, or the seed's.
func seedCreatedOf(in map[string]any) string {
	if c, ok := in["createdDateTime"].(string); ok {
		return c
	}
	return seedCreated
}

// CheckSeedFile validates Config.SeedFile when the server starts, so a broken
// file is reported even when the database was seeded before.
func CheckSeedFile(seedFile string) error {
	if seedFile == "" {
		return nil
	}
	_, err := loadSeed(seedFile)
	return err
}

// Seed writes the directory seed (Config.SeedFile or the default). It runs
// on a new database and on Reset, under the caller's write lock.
func (s *API) Seed() error {
	plan, err := loadSeed(s.seedFile)
	if err != nil {
		return err
	}
	// Backdated like the General catalog, so a ReadAfterCreateDelay fault never hides it.
	epoch := time.Unix(0, 0)
	insert := func(coll string, objs []map[string]any) error {
		for _, o := range objs {
			if err := s.Store.Insert(coll, o["id"].(string), o, epoch); err != nil {
				return fmt.Errorf("seed %s %s: %w", coll, o["id"], err)
			}
		}
		return nil
	}
	if err := insert(Users, plan.users); err != nil {
		return err
	}
	for _, m := range plan.managers {
		if err := s.Store.Insert(UserManagers, m[0], map[string]any{"userId": m[0], "managerId": m[1]}, epoch); err != nil {
			return err
		}
	}
	if err := insert(Groups, plan.groups); err != nil {
		return err
	}
	if err := insert(Applications, plan.apps); err != nil {
		return err
	}
	if err := insert(ServicePrincipals, plan.sps); err != nil {
		return err
	}
	for _, m := range plan.members {
		memberType := ""
		for _, k := range memberKinds {
			if _, err := s.Store.Get(k.coll, m[1]); err == nil {
				memberType = k.memberType
			}
		}
		link := map[string]any{"groupId": m[0], "memberId": m[1], "memberType": memberType}
		if err := s.Store.Insert(GroupMembers, m[0]+"_"+m[1], link, epoch); err != nil {
			return err
		}
	}
	return nil
}
