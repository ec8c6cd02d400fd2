package iotemu

import (
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/asn1"
	"strings"

	"github.com/stepwire/stepwire/emulator/iotemu/policy"
)

// listSep joins the values of a multi-valued policy variable (the `.List`
// forms); the policy engine's ForAnyValue/ForAllValues operators split on
// it.
const listSep = policy.ListSeparator

// maxVarLen is the longest certificate value IoT Core substitutes.
const maxVarLen = 1024

// dnAttributes are the distinguished-name attributes IoT Core exposes as
// iot:Certificate.Subject.* and iot:Certificate.Issuer.* (docs/iot-core.md §1.6).
var dnAttributes = []struct {
	name string
	oid  asn1.ObjectIdentifier
}{
	{"CommonName", asn1.ObjectIdentifier{2, 5, 4, 3}},
	{"Surname", asn1.ObjectIdentifier{2, 5, 4, 4}},
	{"SerialNumber", asn1.ObjectIdentifier{2, 5, 4, 5}},
	{"Country", asn1.ObjectIdentifier{2, 5, 4, 6}},
	{"State", asn1.ObjectIdentifier{2, 5, 4, 8}},
	{"Organization", asn1.ObjectIdentifier{2, 5, 4, 10}},
	{"OrganizationalUnit", asn1.ObjectIdentifier{2, 5, 4, 11}},
	{"Title", asn1.ObjectIdentifier{2, 5, 4, 12}},
	{"GivenName", asn1.ObjectIdentifier{2, 5, 4, 42}},
	{"Initials", asn1.ObjectIdentifier{2, 5, 4, 43}},
	{"GenerationQualifier", asn1.ObjectIdentifier{2, 5, 4, 44}},
	{"DistinguishedNameQualifier", asn1.ObjectIdentifier{2, 5, 4, 46}},
	{"Pseudonym", asn1.ObjectIdentifier{2, 5, 4, 65}},
}

// certificateVars computes the certificate policy variables of c. A value
// holding `*`, `$`, `+`, `?` or `#`, or longer than 1,024 characters, is
// not substituted; lists keep at most five values (docs/iot-core.md §1.6).
func certificateVars(c *x509.Certificate, id string) map[string]string {
	vars := map[string]string{"iot:CertificateId": id}
	var available []string
	add := func(key string, values []string) {
		var ok []string
		for _, v := range values {
			if v != "" && len(v) <= maxVarLen && !strings.ContainsAny(v, "*$+?#") {
				ok = append(ok, v)
			}
		}
		if len(ok) == 0 {
			return
		}
		if len(ok) > 5 {
			ok = ok[:5]
		}
		vars[key] = ok[0]
		vars[key+".List"] = strings.Join(ok, listSep)
		available = append(available, strings.TrimPrefix(key, "iot:"))
	}
	for _, side := range []struct {
		prefix string
		name   pkix.Name
	}{{"iot:Certificate.Subject.", c.Subject}, {"iot:Certificate.Issuer.", c.Issuer}} {
		for _, a := range dnAttributes {
			var values []string
			for _, atv := range side.name.Names {
				if atv.Type.Equal(a.oid) {
					if s, ok := atv.Value.(string); ok {
						values = append(values, s)
					}
				}
			}
			add(side.prefix+a.name, values)
		}
	}
	add("iot:Certificate.Subject.AlternativeName.DNSName", c.DNSNames)
	add("iot:Certificate.Subject.AlternativeName.RFC822Name", c.EmailAddresses)
	var ips, uris []string
	for _, ip := range c.IPAddresses {
		ips = append(ips, ip.String())
	}
	for _, u := range c.URIs {
		uris = append(uris, u.String())
	}
	add("iot:Certificate.Subject.AlternativeName.IPAddress", ips)
	add("iot:Certificate.Subject.AlternativeName.UniformResourceIdentifier", uris)
	if c.SerialNumber != nil {
		add("iot:Certificate.SerialNumber", []string{c.SerialNumber.String()})
	}
	vars["iot:Certificate.AvailableKeys"] = strings.Join(available, listSep)
	return vars
}
