// Does LadybugDB's own regular-expression engine (RE2) compile this pattern? Its matching functions answer false
// for a pattern RE2 refuses, the same as for one that does not match; extracting group 0 fails instead, which
// tells the two apart.
// :param pattern string
RETURN regexp_extract('', $pattern) AS compiled
