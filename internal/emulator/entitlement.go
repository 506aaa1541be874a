package emulator

import (
	"time"

	"github.com/entragov/terraform-provider-entragov/internal/emulator/entitlement"
)

// The entitlement management area lives in internal/emulator/entitlement; these
// names keep the emulator's API.

// Names the control methods take and the assignment delivery defaults.
const (
	LinkIncompatibleAccessPackages = entitlement.LinkIncompatibleAccessPackages
	LinkIncompatibleGroups         = entitlement.LinkIncompatibleGroups
	SponsorsInternal               = entitlement.SponsorsInternal
	SponsorsExternal               = entitlement.SponsorsExternal
	DefaultDeliveryDelay           = entitlement.DefaultDeliveryDelay
	MsgDeliveryFault               = entitlement.MsgDeliveryFault
)

// SetDeliveryDelay changes the delivery delay of assignment requests created from now
// on; zero or negative means immediate delivery.
func (s *Server) SetDeliveryDelay(d time.Duration) { s.ent.SetDeliveryDelay(d) }

// DeliveryDelay is the delivery delay of new assignment requests.
func (s *Server) DeliveryDelay() time.Duration { return s.ent.DeliveryDelay() }

// AddSponsor makes a user or group an internal or external sponsor (SponsorsInternal,
// SponsorsExternal) of a connected organization.
func (s *Server) AddSponsor(orgID, kind, objectID string) error {
	return s.ent.AddSponsor(orgID, kind, objectID)
}

// RemoveSponsor removes a sponsor of a connected organization.
func (s *Server) RemoveSponsor(orgID, kind, objectID string) error {
	return s.ent.RemoveSponsor(orgID, kind, objectID)
}

// AddLink adds an incompatibility (LinkIncompatibleAccessPackages,
// LinkIncompatibleGroups) from one access package to another package or a group.
func (s *Server) AddLink(kind, fromID, toID string) error { return s.ent.AddLink(kind, fromID, toID) }

// RemoveLink removes an incompatibility.
func (s *Server) RemoveLink(kind, fromID, toID string) error {
	return s.ent.RemoveLink(kind, fromID, toID)
}
