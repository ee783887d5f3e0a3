#include "expr/parser.h"

#include <algorithm>
#include <charconv>
#include <cmath>

namespace skema::expr {

const char* binOpText(BinOp op) {
  switch (op) {
    case BinOp::Add: return "+";
    case BinOp::Sub: return "-";
    case BinOp::Mul: return "*";
    case BinOp::Div: return "div";
    case BinOp::Mod: return "mod";
    case BinOp::Eq: return "=";
    case BinOp::Ne: return "!=";
    case BinOp::Lt: return "<";
    case BinOp::Le: return "<=";
    case BinOp::Gt: return ">";
    case BinOp::Ge: return ">=";
  }
  return "?";
}

namespace {

enum class Tok { End, Number, String, Ref, Dot, DotDot, Name, LParen, RParen, Comma, Op, Slash };

struct Token {
  Tok kind = Tok::End;
  int column = 1;
  std::string text;  // Name/Ref/String content, Op text
  double number = 0;
};

// Parentheses, calls and unary minus inside one another: what the parser's
// own recursion is bounded by.
constexpr int kMaxNesting = 128;

struct ParseFail {
  ParseError err;
};

bool isNameStart(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_' ||
         static_cast<unsigned char>(c) >= 0x80;
}
bool isNameChar(char c) {
  return isNameStart(c) || (c >= '0' && c <= '9') || c == '-' || c == '.';
}

class Parser {
 public:
  explicit Parser(std::string_view s) : m_s(s) {}

  Node run() {
    if (m_s.size() > kMaxExpressionLength)
      fail(static_cast<int>(kMaxExpressionLength) + 1,
           "expression too long: " + std::to_string(m_s.size()) + " characters, at most " +
               std::to_string(kMaxExpressionLength) + "; split it over calculate fields");
    skipSpace();
    if (m_pos >= m_s.size()) fail(1, "empty expression");
    next();
    Node n = parseOr(0);
    if (m_tok.kind != Tok::End) {
      if (m_tok.kind == Tok::RParen) fail(m_tok.column, "unexpected ')': no matching '('");
      fail(m_tok.column, "unexpected " + describe(m_tok) + " after a complete expression; missing an operator such as 'and' or '+'?");
    }
    return n;
  }

 private:
  [[noreturn]] void fail(int column, std::string msg) { throw ParseFail{{column, std::move(msg)}}; }

  std::string describe(const Token& t) {
    switch (t.kind) {
      case Tok::End: return "end of expression";
      case Tok::Number: return "number " + numberToString(t.number);
      case Tok::String: return "string '" + t.text + "'";
      case Tok::Ref: return "${" + t.text + "}";
      case Tok::Dot: return "'.'";
      case Tok::DotDot: return "'..'";
      case Tok::Name: return "'" + t.text + "'";
      case Tok::LParen: return "'('";
      case Tok::RParen: return "')'";
      case Tok::Comma: return "','";
      case Tok::Op: return "'" + t.text + "'";
      case Tok::Slash: return "'/'";
    }
    return "token";
  }

  void skipSpace() {
    while (m_pos < m_s.size() && (m_s[m_pos] == ' ' || m_s[m_pos] == '\t' || m_s[m_pos] == '\n' || m_s[m_pos] == '\r'))
      ++m_pos;
  }

  // XPath's rule: after an operand, `and`, `or`, `div`, `mod` and `*` are operators.
  bool afterOperand() const {
    switch (m_tok.kind) {
      case Tok::Number: case Tok::String: case Tok::Ref: case Tok::Dot: case Tok::DotDot:
      case Tok::Name: case Tok::RParen: return true;
      default: return false;
    }
  }

  void next() {
    skipSpace();
    Token t;
    t.column = static_cast<int>(m_pos) + 1;
    if (m_pos >= m_s.size()) {
      t.kind = Tok::End;
      m_tok = t;
      return;
    }
    char c = m_s[m_pos];
    auto peek = [&](size_t k) { return m_pos + k < m_s.size() ? m_s[m_pos + k] : '\0'; };
    if ((c >= '0' && c <= '9') || (c == '.' && peek(1) >= '0' && peek(1) <= '9')) {
      size_t b = m_pos;
      while (m_pos < m_s.size() && m_s[m_pos] >= '0' && m_s[m_pos] <= '9') ++m_pos;
      if (m_pos < m_s.size() && m_s[m_pos] == '.') {
        ++m_pos;
        while (m_pos < m_s.size() && m_s[m_pos] >= '0' && m_s[m_pos] <= '9') ++m_pos;
      }
      t.kind = Tok::Number;
      t.number = stringToNumber(m_s.substr(b, m_pos - b));
      if (m_pos < m_s.size() && isNameStart(m_s[m_pos]) && !startsWord("and") && !startsWord("or") &&
          !startsWord("div") && !startsWord("mod"))
        fail(static_cast<int>(m_pos) + 1, "unexpected '" + std::string(1, m_s[m_pos]) + "' after a number");
    } else if (c == '\'' || c == '"') {
      size_t end = m_s.find(c, m_pos + 1);
      if (end == std::string_view::npos)
        fail(t.column, std::string("unterminated string: add the closing ") + c);
      t.kind = Tok::String;
      t.text = std::string(m_s.substr(m_pos + 1, end - m_pos - 1));
      m_pos = end + 1;
    } else if (c == '$') {
      if (peek(1) != '{') fail(t.column, "'$' must start a reference like ${name}");
      size_t end = m_s.find('}', m_pos + 2);
      if (end == std::string_view::npos) fail(t.column, "unterminated reference: add the closing }");
      std::string name(m_s.substr(m_pos + 2, end - m_pos - 2));
      if (name.empty()) fail(t.column, "empty reference ${}");
      if (!isNameStart(name[0])) fail(t.column, "invalid field name in ${" + name + "}");
      for (char ch : name)
        if (!isNameChar(ch)) fail(t.column, "invalid field name in ${" + name + "}");
      t.kind = Tok::Ref;
      t.text = std::move(name);
      m_pos = end + 1;
    } else if (c == '.') {
      if (peek(1) == '.') { t.kind = Tok::DotDot; m_pos += 2; }
      else { t.kind = Tok::Dot; m_pos += 1; }
    } else if (isNameStart(c)) {
      size_t b = m_pos;
      while (m_pos < m_s.size() && isNameChar(m_s[m_pos])) ++m_pos;
      if (m_pos + 1 < m_s.size() && m_s[m_pos] == ':' && isNameStart(m_s[m_pos + 1])) {
        ++m_pos;
        while (m_pos < m_s.size() && isNameChar(m_s[m_pos])) ++m_pos;
      }
      t.text = std::string(m_s.substr(b, m_pos - b));
      if (afterOperand() && (t.text == "and" || t.text == "or" || t.text == "div" || t.text == "mod")) {
        t.kind = Tok::Op;
      } else {
        t.kind = Tok::Name;
      }
    } else if (c == '(') { t.kind = Tok::LParen; ++m_pos; }
    else if (c == ')') { t.kind = Tok::RParen; ++m_pos; }
    else if (c == ',') { t.kind = Tok::Comma; ++m_pos; }
    else if (c == '/') { t.kind = Tok::Slash; ++m_pos; }
    else if (c == '+' || c == '-' || c == '*' || c == '=') {
      t.kind = Tok::Op; t.text = std::string(1, c); ++m_pos;
    } else if (c == '!' ) {
      if (peek(1) != '=') fail(t.column, "unexpected '!': use != for 'not equal' or not(...)");
      t.kind = Tok::Op; t.text = "!="; m_pos += 2;
    } else if (c == '<' || c == '>') {
      t.kind = Tok::Op;
      if (peek(1) == '=') { t.text = std::string(1, c) + "="; m_pos += 2; }
      else { t.text = std::string(1, c); ++m_pos; }
    } else if (c == '&' && peek(1) == '&') {
      fail(t.column, "unexpected '&&': use 'and'");
    } else if (c == '|') {
      fail(t.column, "unexpected character '|': node-set unions are not supported");
    } else {
      std::string ch(1, c);
      fail(t.column, "unexpected character '" + ch + "'");
    }
    m_tok = std::move(t);
  }

  bool startsWord(const char* w) const {
    std::string_view sv(w);
    return m_s.substr(m_pos, sv.size()) == sv;
  }

  bool isOp(const char* op) const { return m_tok.kind == Tok::Op && m_tok.text == op; }

  Node binary(NodeKind k, BinOp op, int column, Node&& l, Node&& r) {
    Node n;
    n.kind = k;
    n.op = op;
    n.column = column;
    n.args.reserve(2);
    n.args.push_back(std::move(l));
    n.args.push_back(std::move(r));
    return n;
  }

  void checkDepth(int depth) {
    if (depth > kMaxNesting)
      fail(m_tok.column, "expression nested too deeply (more than " + std::to_string(kMaxNesting) +
                             " parentheses, calls or minus signs inside one another)");
  }

  // Every parsed node's height (1 for a leaf) is left in m_height; a tree
  // taller than kMaxExpressionDepth is refused at the operator or call
  // that makes it so, as everything that walks the tree recurses.
  void setHeight(int height, int column) {
    if (height > kMaxExpressionDepth)
      fail(column, "expression too deep: more than " + std::to_string(kMaxExpressionDepth) +
                       " operations inside one another (each operator of a chain like 1+1+... counts); "
                       "split it over calculate fields");
    m_height = height;
  }

  // The binary operators by precedence, lowest first; all group left to right.
  struct Operator {
    const char* text;
    NodeKind kind;
    BinOp op;
  };
  static constexpr int kLevels = 6;
  const Operator* matchOperator(int level) const {
    static const std::vector<Operator> levels[kLevels] = {
        {{"or", NodeKind::Or, BinOp::Add}},
        {{"and", NodeKind::And, BinOp::Add}},
        {{"=", NodeKind::Binary, BinOp::Eq}, {"!=", NodeKind::Binary, BinOp::Ne}},
        {{"<", NodeKind::Binary, BinOp::Lt}, {"<=", NodeKind::Binary, BinOp::Le},
         {">", NodeKind::Binary, BinOp::Gt}, {">=", NodeKind::Binary, BinOp::Ge}},
        {{"+", NodeKind::Binary, BinOp::Add}, {"-", NodeKind::Binary, BinOp::Sub}},
        {{"*", NodeKind::Binary, BinOp::Mul}, {"div", NodeKind::Binary, BinOp::Div},
         {"mod", NodeKind::Binary, BinOp::Mod}},
    };
    for (const Operator& o : levels[level])
      if (isOp(o.text)) return &o;
    return nullptr;
  }

  Node parseOr(int depth) {
    checkDepth(depth);
    return parseLevel(depth, 0);
  }

  Node parseLevel(int depth, int level) {
    if (level == kLevels) return parseUnary(depth);
    Node l = parseLevel(depth, level + 1);
    int height = m_height;
    while (const Operator* o = matchOperator(level)) {
      Token op = m_tok;
      next();
      if (m_tok.kind == Tok::End) fail(m_tok.column, "expected a value after '" + op.text + "'");
      Node r = parseLevel(depth, level + 1);
      l = binary(o->kind, o->op, op.column, std::move(l), std::move(r));
      setHeight(std::max(height, m_height) + 1, op.column);
      height = m_height;
    }
    m_height = height;
    return l;
  }

  Node parseUnary(int depth) {
    checkDepth(depth);
    if (isOp("-")) {
      Token op = m_tok;
      next();
      Node n;
      n.kind = NodeKind::Neg;
      n.column = op.column;
      if (m_tok.kind == Tok::End) fail(m_tok.column, "expected a value after '" + op.text + "'");
      n.args.push_back(parseUnary(depth + 1));
      setHeight(m_height + 1, op.column);
      return n;
    }
    return parsePrimary(depth);
  }

  Node parsePrimary(int depth) {
    checkDepth(depth);
    Token t = m_tok;
    Node n;
    n.column = t.column;
    m_height = 1;
    switch (t.kind) {
      case Tok::Number:
        n.kind = NodeKind::Literal;
        n.literal = Value::number(t.number);
        next();
        return n;
      case Tok::String:
        n.kind = NodeKind::Literal;
        n.literal = Value::string(t.text);
        next();
        return n;
      case Tok::Ref:
        n.kind = NodeKind::Ref;
        n.name = t.text;
        next();
        if (m_tok.kind == Tok::Slash) fail(m_tok.column, "paths after ${" + t.text + "} are not supported");
        return n;
      case Tok::Dot:
        n.kind = NodeKind::Current;
        next();
        return n;
      case Tok::DotDot:
        n.kind = NodeKind::Parent;
        next();
        return n;
      case Tok::LParen: {
        next();
        if (m_tok.kind == Tok::RParen) fail(m_tok.column, "empty parentheses");
        Node inner = parseOr(depth + 1);
        if (m_tok.kind != Tok::RParen) {
          if (m_tok.kind == Tok::End) fail(t.column, "missing ')' for the '(' here");
          fail(m_tok.column, "expected ')' but found " + describe(m_tok));
        }
        next();
        return inner;
      }
      case Tok::Name: {
        next();
        if (m_tok.kind == Tok::LParen) {
          n.kind = NodeKind::Call;
          n.name = t.text;
          next();
          int height = 0;
          if (m_tok.kind != Tok::RParen) {
            while (true) {
              if (m_tok.kind == Tok::End) fail(t.column, "missing ')' to close " + t.text + "(");
              if (m_tok.kind == Tok::Comma) fail(m_tok.column, "missing argument in " + t.text + "()");
              n.args.push_back(parseOr(depth + 1));
              height = std::max(height, m_height);
              if (m_tok.kind == Tok::Comma) {
                next();
                if (m_tok.kind == Tok::RParen) fail(m_tok.column, "missing argument after ',' in " + t.text + "()");
                continue;
              }
              if (m_tok.kind == Tok::RParen) break;
              if (m_tok.kind == Tok::End) fail(t.column, "missing ')' to close " + t.text + "(");
              fail(m_tok.column, "expected ',' or ')' in " + t.text + "() but found " + describe(m_tok));
            }
          }
          next();
          setHeight(height + 1, t.column);
          return n;
        }
        if (t.text == "and" || t.text == "or" || t.text == "div" || t.text == "mod")
          fail(t.column, "expected a value before '" + t.text + "'");
        if (m_tok.kind == Tok::Slash) fail(t.column, "XPath paths are not supported; write ${" + t.text + "}");
        n.kind = NodeKind::Name;
        n.name = t.text;
        return n;
      }
      case Tok::Slash:
        fail(t.column, "absolute paths like /data/name are not supported; write ${name}");
      case Tok::End:
        fail(t.column, "expected a value but the expression ended");
      case Tok::RParen:
        fail(t.column, "unexpected ')'");
      case Tok::Comma:
        fail(t.column, "unexpected ','");
      case Tok::Op:
        fail(t.column, "expected a value before '" + t.text + "'");
    }
    fail(t.column, "unexpected " + describe(t));
  }

  std::string_view m_s;
  size_t m_pos = 0;
  Token m_tok;
  int m_height = 0;
};

}  // namespace

ParseResult parse(std::string_view text) {
  ParseResult r;
  try {
    Parser p(text);
    r.root = p.run();
  } catch (const ParseFail& f) {
    r.error = f.err;
  }
  return r;
}

void collectRefs(const Node& n, std::vector<const Node*>& out) {
  if (n.kind == NodeKind::Ref) out.push_back(&n);
  for (const auto& a : n.args) collectRefs(a, out);
}

}  // namespace skema::expr
