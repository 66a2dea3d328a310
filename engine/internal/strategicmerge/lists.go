package strategicmerge

import (
	"errors"
	"fmt"
	"maps"
	"reflect"
	"slices"
	"sort"
	"strings"
)

// Lists are changed in place where the library changes them in place (items removed by shifting
// the rest down, items appended into spare capacity): the current list also serves as the
// reference order afterwards, so sharing its backing array the same way gives the same order
// (the test case "apply: swap a container beside an injected one" shows it).

// mergeList merges a patch list into a list with the merge strategy: primitives make a union
// (or, for a deletion list, are removed), objects are merged by their merge key. The result
// keeps the patch's order for the patch's items and fits the other items around them.
func mergeList(original, patch []any, f field, deleting bool) ([]any, error) {
	if len(original) == 0 && len(patch) == 0 {
		return original, nil
	}
	kind, err := itemKind(original, patch)
	if err != nil {
		return nil, err
	}
	var merged []any
	if kind != reflect.Map {
		if deleting {
			return withoutValues(original, patch), nil
		}
		merged = dedupe(append(original, patch...))
	} else {
		if f.mergeKey == "" {
			return nil, fmt.Errorf("cannot merge lists without merge key for %s", f.typ.Kind())
		}
		original, patch, err = applyItemDirectives(original, patch, f.mergeKey)
		if err != nil {
			return nil, err
		}
		merged, err = mergeItems(original, patch, f)
		if err != nil {
			return nil, err
		}
	}
	patchItems, serverItems, err := splitByPresence(merged, patch, f.mergeKey)
	if err != nil {
		return nil, err
	}
	return arrange(patchItems, serverItems, patch, original, f.mergeKey, kind)
}

// applyItemDirectives handles the patch items carrying $patch: delete removes the current items
// with that merge key, replace makes the other patch items the whole list. It returns the list
// to merge into and the patch items left to merge.
func applyItemDirectives(original, patch []any, mergeKey string) ([]any, []any, error) {
	rest := []any{}
	replace := false
	for _, v := range patch {
		item, ok := v.(map[string]any)
		if !ok {
			return nil, nil, errBadArgType(item, v)
		}
		directive, ok := item[patchDirective]
		if !ok {
			rest = append(rest, v)
			continue
		}
		switch directive {
		case directiveDelete:
			key, ok := item[mergeKey]
			if !ok {
				return nil, nil, errNoMergeKey(item, mergeKey)
			}
			var err error
			if original, err = removeByKey(original, mergeKey, key); err != nil {
				return nil, nil, err
			}
		case directiveReplace:
			replace = true // and keep going: the other directives are still checked and dropped
		case directiveMerge:
			return nil, nil, errors.New("merging lists cannot yet be specified in the patch")
		default:
			return nil, nil, errBadPatchType(directive, item)
		}
	}
	if replace {
		return rest, nil, nil
	}
	return original, rest, nil
}

// removeByKey removes every item of list whose merge key has the value key, in place.
func removeByKey(list []any, mergeKey string, key any) ([]any, error) {
	for {
		_, i, found, err := findByKey(list, mergeKey, key)
		if err != nil || !found {
			return list, err
		}
		list = append(list[:i], list[i+1:]...)
	}
}

// mergeItems merges each patch item into the current item with the same merge key, or appends
// it (as it is: directives and nulls inside a new item stay).
func mergeItems(original, patch []any, f field) ([]any, error) {
	for _, v := range patch {
		item, ok := v.(map[string]any)
		if !ok {
			return nil, errBadArgType(item, v)
		}
		key, ok := item[f.mergeKey]
		if !ok {
			return nil, errNoMergeKey(item, f.mergeKey)
		}
		match, i, found, err := findByKey(original, f.mergeKey, key)
		if err != nil {
			return nil, err
		}
		if !found {
			original = append(original, v)
			continue
		}
		merged, err := mergeMap(match, item, f.typ)
		if err != nil {
			return nil, err
		}
		original[i] = merged
	}
	return original, nil
}

// findByKey finds the first item of list whose merge key has the value key.
func findByKey(list []any, mergeKey string, key any) (map[string]any, int, bool, error) {
	for i, v := range list {
		item, ok := v.(map[string]any)
		if !ok {
			return nil, 0, false, fmt.Errorf("value for key %v is not a map", i)
		}
		if value, ok := item[mergeKey]; ok && sameValue(value, key) {
			return item, i, true, nil
		}
	}
	return nil, 0, false, nil
}

// dedupe removes repeated values in place. A repeat is overwritten by the last item, so the
// order changes the way the library's does.
func dedupe(list []any) []any {
	last := len(list) - 1
	for i := 0; i < last; i++ {
		for j := i + 1; j <= last; j++ {
			if sameValue(list[i], list[j]) {
				list[j] = list[last]
				list = list[:last]
				last--
				j--
			}
		}
	}
	return list
}

// withoutValues is list without the values in remove.
func withoutValues(list, remove []any) []any {
	kept := make([]any, 0, len(list))
	for _, v := range list {
		if !containsValue(remove, v) {
			kept = append(kept, v)
		}
	}
	return kept
}

// itemKind is the kind of the items of the lists, which must all have the same type and not be
// lists themselves.
func itemKind(lists ...[]any) (reflect.Kind, error) {
	var first reflect.Type
	for _, list := range lists {
		for _, v := range list {
			t := reflect.TypeOf(v)
			switch {
			case first != nil:
				if t != first {
					return 0, fmt.Errorf("list element types are not identical: %v", fmt.Sprint(lists))
				}
			case t == nil:
				return 0, errNullListItem(lists) // the library panics
			case t.Kind() == reflect.Slice:
				return 0, ErrNoListOfLists
			default:
				first = t
			}
		}
	}
	if first == nil {
		return 0, errors.New("no elements in any of the given slices")
	}
	return first.Kind(), nil
}

// errNullListItem is the error for lists to merge whose first item is null.
func errNullListItem(lists [][]any) error {
	return fmt.Errorf("list items must not be null: %v", fmt.Sprint(lists))
}

// mergeOrderedLists merges the lists a $setElementOrder directive names and puts their items in
// its order; the directives and those lists leave patch.
func mergeOrderedLists(original, patch map[string]any, t reflect.Type) error {
	for _, key := range slices.Sorted(maps.Keys(patch)) {
		order, present := patch[key]
		// An earlier directive may have taken the list this key holds.
		if !present || !strings.HasPrefix(key, setOrderPrefix) {
			continue
		}
		delete(patch, key)
		if err := mergeOrderedList(original, patch, key, order, t); err != nil {
			return err
		}
	}
	return nil
}

// mergeOrderedList handles one $setElementOrder directive, key, with the list order.
func mergeOrderedList(original, patch map[string]any, key string, order any, t reflect.Type) error {
	orderList, ok := order.([]any)
	if !ok {
		return errBadArgType(orderList, order)
	}
	name, err := directiveTarget(key, setOrderPrefix)
	if err != nil {
		return err
	}
	current, inOriginal := original[name]
	value, inPatch := patch[name]
	var currentList, patchList []any
	if inOriginal {
		if currentList, ok = current.([]any); !ok {
			return errBadArgType(currentList, current)
		}
	}
	if inPatch {
		if patchList, ok = value.([]any); !ok {
			return errBadArgType(patchList, value)
		}
	}
	f, err := listField(t, name)
	if err != nil {
		return err
	}
	if err := checkOrder(patchList, orderList, f.mergeKey); err != nil {
		return err
	}
	var merged []any
	switch {
	case inOriginal && inPatch:
		if merged, err = mergeListValues(current, value, f, false); err != nil {
			return err
		}
	case inOriginal:
		merged = currentList
	case inPatch:
		clean, _ := removeDirectives(patchList)
		merged, _ = clean.([]any)
	default:
		return nil
	}
	patchItems, serverItems, err := splitByPresence(merged, orderList, f.mergeKey)
	if err != nil {
		return err
	}
	kind, err := itemKind(currentList, patchList)
	if err != nil {
		return err
	}
	arranged, err := arrange(patchItems, serverItems, orderList, currentList, f.mergeKey, kind)
	if err != nil {
		return err
	}
	original[name] = arranged
	delete(patch, name)
	return nil
}

// checkOrder checks that the items of a patch list (not counting directives) appear in its
// $setElementOrder list, in the same order.
func checkOrder(patchList, order []any, mergeKey string) error {
	if len(order) == 0 || len(patchList) == 0 {
		return nil
	}
	items := patchList
	if mergeKey != "" {
		var err error
		if items, _, err = splitDeleted(patchList); err != nil {
			return err
		}
	}
	p, o := 0, 0
	for p < len(items) && o < len(order) {
		if hasDirective(items[p]) {
			p++
			continue
		}
		same, err := sameMergeKey(items[p], order[o], mergeKey)
		if err != nil {
			return err
		}
		if same {
			p++
		}
		o++
	}
	if p < len(items) {
		return fmt.Errorf("The order in patch list:\n%v\n doesn't match %s list:\n%v\n", patchList, setOrderPrefix, order)
	}
	return nil
}

// sameMergeKey compares two items by merge key, or by value for primitives (no merge key).
func sameMergeKey(a, b any, mergeKey string) (bool, error) {
	if mergeKey == "" {
		return sameValue(a, b), nil
	}
	ma, ok := a.(map[string]any)
	if !ok {
		return false, errBadArgType(ma, a)
	}
	mb, ok := b.(map[string]any)
	if !ok {
		return false, errBadArgType(mb, b)
	}
	ka, ok := ma[mergeKey]
	if !ok {
		return false, errNoMergeKey(ma, mergeKey)
	}
	kb, ok := mb[mergeKey]
	if !ok {
		return false, errNoMergeKey(mb, mergeKey)
	}
	return sameValue(ka, kb), nil
}

// hasDirective reports whether v is an object carrying $patch.
func hasDirective(v any) bool {
	m, ok := v.(map[string]any)
	_, found := m[patchDirective]
	return ok && found
}

// splitByPresence splits merged into the items found in list (by merge key, or by value
// without one) and the others.
func splitByPresence(merged, list []any, mergeKey string) (found, others []any, err error) {
	found = make([]any, 0, len(merged))
	others = make([]any, 0, len(merged))
	for _, v := range merged {
		var in bool
		if mergeKey == "" {
			in = containsValue(list, v)
		} else {
			item, ok := v.(map[string]any)
			if !ok {
				return nil, nil, errBadArgType(item, v)
			}
			key, ok := item[mergeKey]
			if !ok {
				return nil, nil, errNoMergeKey(item, mergeKey)
			}
			if _, _, in, err = findByKey(list, mergeKey, key); err != nil {
				return nil, nil, err
			}
		}
		if in {
			found = append(found, v)
		} else {
			others = append(others, v)
		}
	}
	return found, others, nil
}

// arrange orders a merged list: the patch's items in patchOrder, the server-only items in
// serverOrder (the current list), then the two interleaved so that each server-only item stays
// before the patch items it preceded in the current list.
func arrange(patchItems, serverItems, patchOrder, serverOrder []any, mergeKey string, kind reflect.Kind) ([]any, error) {
	patchItems, err := sortByOrder(patchItems, patchOrder, mergeKey, kind)
	if err != nil {
		return nil, err
	}
	serverItems, err = sortByOrder(serverItems, serverOrder, mergeKey, kind)
	if err != nil {
		return nil, err
	}
	out := make([]any, 0, len(patchItems)+len(serverItems))
	for len(patchItems) > 0 || len(serverItems) > 0 {
		if len(patchItems) == 0 || (len(serverItems) > 0 && precedes(serverItems[0], patchItems[0], serverOrder, mergeKey, kind)) {
			out = append(out, serverItems[0])
			serverItems = serverItems[1:]
		} else {
			out = append(out, patchItems[0])
			patchItems = patchItems[1:]
		}
	}
	return out, nil
}

// precedes reports whether a comes before b in order; false unless both are in it.
func precedes(a, b any, order []any, mergeKey string, kind reflect.Kind) bool {
	i, j := position(order, a, mergeKey, kind), position(order, b, mergeKey, kind)
	return i >= 0 && j >= 0 && i < j
}

// sortByOrder sorts items stably by their position in order; objects marked for deletion go
// last. The comparison is the library's, which is not a strict ordering when items are missing
// from order, so the sort algorithm must be sort.SliceStable to give the same result.
func sortByOrder(items, order []any, mergeKey string, kind reflect.Kind) ([]any, error) {
	var deleted []any
	if kind == reflect.Map {
		if err := requireMergeKey(mergeKey, items, order); err != nil {
			return nil, err
		}
		var err error
		if items, deleted, err = splitDeleted(items); err != nil {
			return nil, err
		}
	}
	sort.SliceStable(items, func(i, j int) bool {
		if pi := position(order, items[i], mergeKey, kind); pi >= 0 {
			if pj := position(order, items[j], mergeKey, kind); pj >= 0 {
				return pi < pj
			}
		}
		return true
	})
	return append(items, deleted...), nil
}

// requireMergeKey checks that every item of the lists is an object with the merge key.
func requireMergeKey(mergeKey string, lists ...[]any) error {
	for _, list := range lists {
		for _, v := range list {
			item, ok := v.(map[string]any)
			if !ok {
				return errBadArgType(item, v)
			}
			if _, ok := item[mergeKey]; !ok {
				return errNoMergeKey(item, mergeKey)
			}
		}
	}
	return nil
}

// splitDeleted splits a list of objects into those kept and those with $patch: delete.
func splitDeleted(list []any) (kept, deleted []any, err error) {
	for _, v := range list {
		item, ok := v.(map[string]any)
		if !ok {
			return nil, nil, errBadArgType(item, v)
		}
		if d, ok := item[patchDirective]; ok && d == directiveDelete {
			deleted = append(deleted, v)
		} else {
			kept = append(kept, v)
		}
	}
	return kept, deleted, nil
}

// position is the index in list of the item matching v (by merge key for objects), or -1.
func position(list []any, v any, mergeKey string, kind reflect.Kind) int {
	key := func(item any) any {
		if kind != reflect.Map {
			return item
		}
		m, _ := item.(map[string]any)
		return m[mergeKey] // nil for a non-object or a missing key, which then match each other
	}
	want := key(v)
	return slices.IndexFunc(list, func(item any) bool { return sameValue(key(item), want) })
}
