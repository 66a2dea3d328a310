// Package main is a fixture for the locales usage tests: it is never built.
package main

type localizer interface {
	T(id string, data ...map[string]any) string
	N(id string, count int, data ...map[string]any) string
}

// menu stores an ID in a table instead of passing it to T directly.
var menu = []struct{ Key, Label string }{
	{Key: "q", Label: "menu.quit"},
}

func run(l localizer, component string) {
	_ = l.T("greet.hello", map[string]any{"Name": "Ada"})
	_ = l.N("pod.count", 3)
	_ = l.T("component." + component)
	_ = l.T(menu[0].Label)
	id := "not.checked"
	_ = l.T(id)
	_ = N("also.not_checked") // a plain function, not a method
	_ = l.T("greet.missing")
	_ = l.N("pod.missing", 1)
}

func N(s string) string { return s }
