package directory

// Messages the external tests compare answers with.
const (
	MsgUPNExists      = msgUPNExists
	MsgMemberExists   = msgMemberExists
	MsgDynamicMembers = msgDynamicMembers
)
