package fixture

const id = "hidden.in_testdata"
