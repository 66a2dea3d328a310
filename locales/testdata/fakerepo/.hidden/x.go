package hidden

func f(l interface{ T(string) string }) string { return l.T("hidden.undefined") }
