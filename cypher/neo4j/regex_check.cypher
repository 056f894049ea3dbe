// Does Neo4j's own regular-expression engine (java.util.regex) compile this pattern? An error when it does not.
// :param pattern string
RETURN '' =~ $pattern AS compiled
