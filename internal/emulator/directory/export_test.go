package directory

// Messages the external tests compare answers with.
const (
	MsgUPNExists      = msgUPNExists
	MsgMemberExists   = msgMemberExists
	MsgDynamicMembers = msgDynamicMembers
)

// SecurityIdentifier is the SID the local API gives a group of the object id.
var SecurityIdentifier = securityIdentifier
