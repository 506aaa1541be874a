// Package framework holds the schema pieces shared by entragov's resources: diagnostics for Graph
// errors, the provider-data handshake, and (as resources need them) custom types, validators and plan
// modifiers in small sibling packages.
package framework
