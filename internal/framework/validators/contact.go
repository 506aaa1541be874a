package validators

import (
	"net/mail"
	"net/url"
	"regexp"

	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
)

// IsEmail reports whether s is a bare email address (no display name, no angle brackets).
func IsEmail(s string) bool {
	a, err := mail.ParseAddress(s)
	return err == nil && a.Name == "" && a.Address == s
}

// Email checks an email address such as ada@example.com.
func Email() validator.String {
	return stringCheck{description: "value must be an email address such as ada@example.com", check: func(s string) string {
		if !IsEmail(s) {
			return "is not an email address; use the bare address, such as ada@example.com"
		}
		return ""
	}}
}

// HTTPURL checks an absolute http or https URL such as https://myapps.microsoft.com.
func HTTPURL() validator.String {
	return stringCheck{description: "value must be an absolute http or https URL such as https://myapps.microsoft.com", check: func(s string) string {
		u, err := url.Parse(s)
		if err != nil || (u.Scheme != "https" && u.Scheme != "http") || u.Host == "" {
			return "is not an absolute http or https URL, such as https://myapps.microsoft.com"
		}
		return ""
	}}
}

// languageTag is the form of a language such as en, en-US or zh-Hant-TW.
var languageTag = regexp.MustCompile(`^[A-Za-z]{2,3}(-[A-Za-z0-9]{2,8})*$`)

// LanguageTag checks a language such as en-US (an ISO 639 language, optionally with a region).
func LanguageTag() validator.String {
	return stringCheck{description: "value must be a language such as en-US", check: func(s string) string {
		if !languageTag.MatchString(s) {
			return "is not a language tag; use an ISO 639 language with an optional region, such as en-US"
		}
		return ""
	}}
}
