#include "expr/parser.h"

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

constexpr int kMaxDepth = 128;

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
    if (depth > kMaxDepth) fail(m_tok.column, "expression nested too deeply");
  }

  Node operand(int depth, const Token& op, Node (Parser::*sub)(int)) {
    if (m_tok.kind == Tok::End) fail(m_tok.column, "expected a value after '" + op.text + "'");
    return (this->*sub)(depth);
  }

  Node parseOr(int depth) {
    checkDepth(depth);
    Node l = parseAnd(depth);
    while (isOp("or")) {
      Token op = m_tok;
      next();
      Node r = operand(depth, op, &Parser::parseAnd);
      l = binary(NodeKind::Or, BinOp::Add, op.column, std::move(l), std::move(r));
    }
    return l;
  }
  Node parseAnd(int depth) {
    Node l = parseEq(depth);
    while (isOp("and")) {
      Token op = m_tok;
      next();
      Node r = operand(depth, op, &Parser::parseEq);
      l = binary(NodeKind::And, BinOp::Add, op.column, std::move(l), std::move(r));
    }
    return l;
  }
  Node parseEq(int depth) {
    Node l = parseRel(depth);
    while (isOp("=") || isOp("!=")) {
      Token op = m_tok;
      next();
      Node r = operand(depth, op, &Parser::parseRel);
      l = binary(NodeKind::Binary, op.text == "=" ? BinOp::Eq : BinOp::Ne, op.column, std::move(l), std::move(r));
    }
    return l;
  }
  Node parseRel(int depth) {
    Node l = parseAdd(depth);
    while (isOp("<") || isOp("<=") || isOp(">") || isOp(">=")) {
      Token op = m_tok;
      next();
      Node r = operand(depth, op, &Parser::parseAdd);
      BinOp b = op.text == "<" ? BinOp::Lt : op.text == "<=" ? BinOp::Le : op.text == ">" ? BinOp::Gt : BinOp::Ge;
      l = binary(NodeKind::Binary, b, op.column, std::move(l), std::move(r));
    }
    return l;
  }
  Node parseAdd(int depth) {
    Node l = parseMul(depth);
    while (isOp("+") || isOp("-")) {
      Token op = m_tok;
      next();
      Node r = operand(depth, op, &Parser::parseMul);
      l = binary(NodeKind::Binary, op.text == "+" ? BinOp::Add : BinOp::Sub, op.column, std::move(l), std::move(r));
    }
    return l;
  }
  Node parseMul(int depth) {
    Node l = parseUnary(depth);
    while (isOp("*") || isOp("div") || isOp("mod")) {
      Token op = m_tok;
      next();
      Node r = operand(depth, op, &Parser::parseUnary);
      BinOp b = op.text == "*" ? BinOp::Mul : op.text == "div" ? BinOp::Div : BinOp::Mod;
      l = binary(NodeKind::Binary, b, op.column, std::move(l), std::move(r));
    }
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
      n.args.push_back(operand(depth + 1, op, &Parser::parseUnary));
      return n;
    }
    return parsePrimary(depth);
  }

  Node parsePrimary(int depth) {
    checkDepth(depth);
    Token t = m_tok;
    Node n;
    n.column = t.column;
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
          if (m_tok.kind != Tok::RParen) {
            while (true) {
              if (m_tok.kind == Tok::End) fail(t.column, "missing ')' to close " + t.text + "(");
              if (m_tok.kind == Tok::Comma) fail(m_tok.column, "missing argument in " + t.text + "()");
              n.args.push_back(parseOr(depth + 1));
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
