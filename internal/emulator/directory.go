package emulator

import (
	"github.com/entragov/terraform-provider-entragov/internal/emulator/directory"
)

// The directory area lives in internal/emulator/directory; these names keep the
// emulator's API.

// Seed directory ids (see directory.SeedTenantDomain and internal/emulator/directory/seed.json).
const (
	SeedTenantDomain                  = directory.SeedTenantDomain
	SeedUserPattiID                   = directory.SeedUserPattiID
	SeedUserAdeleID                   = directory.SeedUserAdeleID
	SeedUserIsaiahID                  = directory.SeedUserIsaiahID
	SeedUserMeganID                   = directory.SeedUserMeganID
	SeedUserAlexID                    = directory.SeedUserAlexID
	SeedUserLeeID                     = directory.SeedUserLeeID
	SeedUserJohannaID                 = directory.SeedUserJohannaID
	SeedUserGradyID                   = directory.SeedUserGradyID
	SeedUserLynneID                   = directory.SeedUserLynneID
	SeedUserNestorID                  = directory.SeedUserNestorID
	SeedGuestBenID                    = directory.SeedGuestBenID
	SeedGuestCarlaID                  = directory.SeedGuestCarlaID
	SeedGuestDanID                    = directory.SeedGuestDanID
	SeedGroupSalesID                  = directory.SeedGroupSalesID
	SeedGroupMarketingID              = directory.SeedGroupMarketingID
	SeedGroupEngineeringID            = directory.SeedGroupEngineeringID
	SeedGroupFinanceID                = directory.SeedGroupFinanceID
	SeedGroupProjectFalconID          = directory.SeedGroupProjectFalconID
	SeedGroupFabrikamPartnersID       = directory.SeedGroupFabrikamPartnersID
	SeedGroupAllSalesDynamicID        = directory.SeedGroupAllSalesDynamicID
	SeedAppExpensesID                 = directory.SeedAppExpensesID
	SeedAppExpensesAppID              = directory.SeedAppExpensesAppID
	SeedAppExpensesSPID               = directory.SeedAppExpensesSPID
	SeedAppExpensesRoleSubmitterID    = directory.SeedAppExpensesRoleSubmitterID
	SeedAppExpensesRoleApproverID     = directory.SeedAppExpensesRoleApproverID
	SeedAppExpensesRoleAuditorID      = directory.SeedAppExpensesRoleAuditorID
	SeedAppPartnerPortalID            = directory.SeedAppPartnerPortalID
	SeedAppPartnerPortalAppID         = directory.SeedAppPartnerPortalAppID
	SeedAppPartnerPortalSPID          = directory.SeedAppPartnerPortalSPID
	SeedAppPartnerPortalRoleReaderID  = directory.SeedAppPartnerPortalRoleReaderID
	SeedAppPartnerPortalRoleContribID = directory.SeedAppPartnerPortalRoleContribID
	SeedAppWikiID                     = directory.SeedAppWikiID
	SeedAppWikiAppID                  = directory.SeedAppWikiAppID
	SeedAppWikiSPID                   = directory.SeedAppWikiSPID
)

// Errors of the group membership control methods.
var (
	ErrAlreadyMember = directory.ErrAlreadyMember
	ErrNotMember     = directory.ErrNotMember
	ErrDynamicGroup  = directory.ErrDynamicGroup
)

// DefaultDirectorySeed returns the embedded default directory seed (JSON).
func DefaultDirectorySeed() []byte { return directory.DefaultDirectorySeed() }

// GroupMemberIDs returns the ids of a group's direct members.
func (s *Server) GroupMemberIDs(groupID string) ([]string, error) {
	return s.dir.GroupMemberIDs(groupID)
}

// AddGroupMember adds a direct member to a group, as the Graph $ref call does.
func (s *Server) AddGroupMember(groupID, memberID string) error {
	return s.dir.AddGroupMember(groupID, memberID)
}

// RemoveGroupMember removes a direct member from a group.
func (s *Server) RemoveGroupMember(groupID, memberID string) error {
	return s.dir.RemoveGroupMember(groupID, memberID)
}

// UserManagerID returns the id of a user's manager ("" when there is none).
func (s *Server) UserManagerID(userID string) (string, error) { return s.dir.UserManagerID(userID) }
