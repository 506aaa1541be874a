package entitlement

import (
	"strings"

	"github.com/entragov/terraform-provider-entragov/internal/emulator/wire"
)

// Every duration of the entitlement area is an Edm.Duration in the v1.0 metadata
// (schemas/v1.0-Prod.csdl of microsoftgraph/msgraph-metadata: accessPackageApprovalStage,
// expirationPattern, accessPackageAutomaticRequestSettings, customExtensionCallbackConfiguration,
// entitlementManagementSettings). Its lexical form is xs:dayTimeDuration: days, hours, minutes
// and seconds only
// (https://docs.oasis-open.org/odata/odata-csdl-xml/v4.01/odata-csdl-xml-v4.01.html#sec_PrimitiveTypes).
// Years, months and weeks are refused the way Graph refuses a literal of the wrong type.

// edmDuration reads an Edm.Duration at path.
func edmDuration(path string, v any) (wire.Duration, error) {
	d, err := wire.ParseDuration(path, v)
	if err != nil {
		return d, err
	}
	date, _, _ := strings.Cut(d.Text, "T")
	if strings.ContainsAny(date, "YMW") {
		return wire.Duration{}, wire.PathTypeError(path, v, "Edm.Duration")
	}
	return d, nil
}

// edmDurationOf reads the optional Edm.Duration property k of o; nil when absent or null.
func edmDurationOf(o *wire.Object, k string) (*wire.Duration, error) {
	v, ok := o.Get(k)
	if !ok {
		return nil, nil
	}
	d, err := edmDuration(o.At(k), v)
	if err != nil {
		return nil, err
	}
	return &d, nil
}
