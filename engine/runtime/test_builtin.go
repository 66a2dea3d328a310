package runtime

import (
	"fmt"
	"strconv"
)

// testBuiltin is the shell's test and [ for the string and integer comparisons start scripts use
// to check their configuration (`[ -z "$QUEUE_HOST" ]`, `test "$MODE" = prod`): -z, -n, a
// lone string, = and !=, -eq -ne -lt -le -gt -ge, and ! before any of them. File tests and
// -a/-o make the script unsupported (the simulation keeps no files and does not pretend to), as
// does a number comparison of something that is not a number.
// Exit statuses and errors are busybox ash's and dash's: 0 true, 1 false, 2 an error.
func (s *shell) testBuiltin(base string, args []string) {
	if base == "[" {
		if len(args) == 0 || args[len(args)-1] != "]" {
			s.emit(s.testPrefix(base)+"missing ]", true)
			s.code = 2
			return
		}
		args = args[:len(args)-1]
	}
	result, ok, err := evalTest(args)
	switch {
	case !ok:
		s.unsupported()
	case err != "":
		s.emit(s.testPrefix(base)+err, true)
		s.code = 2
	case result:
		s.code = 0
	default:
		s.code = 1
	}
}

// testPrefix is how the shell names test in its errors: busybox "sh: ", dash "sh: 1: [: ".
func (s *shell) testPrefix(base string) string {
	if s.env.image != nil && s.env.image.BusyBox {
		return "sh: "
	}
	return fmt.Sprintf("%s: %s: ", s.errPrefix(), base)
}

// evalTest evaluates test's arguments by their count, as POSIX specifies. ok is false for a form
// the simulation does not follow; err is test's complaint about its arguments.
func evalTest(args []string) (result, ok bool, err string) {
	if len(args) > 1 && args[0] == "!" && len(args) <= 4 {
		r, ok, err := evalTest(args[1:])
		return !r && err == "", ok, err
	}
	switch len(args) {
	case 0:
		return false, true, ""
	case 1:
		return args[0] != "", true, ""
	case 2:
		switch args[0] {
		case "-z":
			return args[1] == "", true, ""
		case "-n":
			return args[1] != "", true, ""
		}
		return false, false, ""
	case 3:
		a, op, b := args[0], args[1], args[2]
		switch op {
		case "=", "==":
			return a == b, true, ""
		case "!=":
			return a != b, true, ""
		case "-eq", "-ne", "-lt", "-le", "-gt", "-ge":
			x, errA := strconv.ParseInt(a, 10, 64)
			y, errB := strconv.ParseInt(b, 10, 64)
			if errA != nil || errB != nil {
				return false, false, "" // busybox and dash word "not a number" differently
			}
			return map[string]bool{"-eq": x == y, "-ne": x != y, "-lt": x < y, "-le": x <= y, "-gt": x > y, "-ge": x >= y}[op], true, ""
		}
	}
	return false, false, ""
}
