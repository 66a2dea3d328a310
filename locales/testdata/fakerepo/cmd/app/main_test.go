package main

func useInTest(l localizer) string { return l.T("only.in_test") + l.T("undefined.in_test") }
