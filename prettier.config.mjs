// The team's formatter (npm test runs `prettier --check .`). Wide lines because the tree's
// zod schemas and JSX read better on one line up to 120 characters.
export default {
  printWidth: 120,
  singleQuote: true,
  trailingComma: 'all',
  semi: true,
  arrowParens: 'always',
  endOfLine: 'lf',
};
