import Foundation

/// A line chart as inline SVG: axes with a few round ticks, one coloured line per series, a
/// legend. What the HTML report draws with, so that it needs nothing but a browser.
struct SVGChart {
  struct Series {
    var name: String
    var points: [(x: Double, y: Double)]
  }

  var title: String
  var yUnit: String
  var series: [Series]
  var width = 720.0
  var height = 260.0

  static let palette = [
    "#1f77b4", "#d62728", "#2ca02c", "#ff7f0e", "#9467bd", "#8c564b", "#e377c2", "#7f7f7f", "#bcbd22", "#17becf",
  ]

  func render() -> String {
    let (left, right, top, bottom) = (56.0, 150.0, 28.0, 30.0)
    let plotWidth = width - left - right
    let plotHeight = height - top - bottom
    let xs = series.flatMap { $0.points.map(\.x) }
    let ys = series.flatMap { $0.points.map(\.y) }
    let (xMin, xMax) = (xs.min() ?? 0, max(xs.max() ?? 1, (xs.min() ?? 0) + 1))
    let yMax = Self.roundUp(max(ys.max() ?? 1, 1e-9))
    func x(_ value: Double) -> Double { left + (value - xMin) / (xMax - xMin) * plotWidth }
    func y(_ value: Double) -> Double { top + plotHeight - value / yMax * plotHeight }
    // Attributes in single quotes, so that the markup reads as it is written.
    var svg = "<svg xmlns='http://www.w3.org/2000/svg' width='\(Int(width))' height='\(Int(height))' "
    svg += "viewBox='0 0 \(Int(width)) \(Int(height))' font-family='sans-serif' font-size='11'>"
    svg +=
      "<text x='\(Self.coordinate(left))' y='16' font-size='13' font-weight='bold'>\(HTMLReport.escape(title))</text>"
    for tick in 0...4 {
      let value = yMax * Double(tick) / 4
      svg +=
        "<line x1='\(Self.coordinate(left))' x2='\(Self.coordinate(left + plotWidth))' y1='\(Self.coordinate(y(value)))' y2='\(Self.coordinate(y(value)))' stroke='#ddd'/>"
      svg +=
        "<text x='\(Self.coordinate(left - 6))' y='\(Self.coordinate(y(value) + 4))' text-anchor='end'>\(Self.label(value))</text>"
    }
    for tick in 0...5 {
      let value = xMin + (xMax - xMin) * Double(tick) / 5
      svg +=
        "<text x='\(Self.coordinate(x(value)))' y='\(Self.coordinate(height - 10))' text-anchor='middle'>\(Self.label(value))s</text>"
    }
    let middle = top + plotHeight / 2
    svg +=
      "<text x='12' y='\(Self.coordinate(middle))' transform='rotate(-90 12 \(Self.coordinate(middle)))' text-anchor='middle'>"
    svg += "\(HTMLReport.escape(yUnit))</text>"
    svg +=
      "<rect x='\(Self.coordinate(left))' y='\(Self.coordinate(top))' width='\(Self.coordinate(plotWidth))' height='\(Self.coordinate(plotHeight))' fill='none' stroke='#999'/>"
    for (index, line) in series.enumerated() {
      let colour = Self.palette[index % Self.palette.count]
      let path = line.points.map { "\(Self.coordinate(x($0.x))),\(Self.coordinate(y($0.y)))" }.joined(separator: " ")
      svg += "<polyline fill='none' stroke='\(colour)' stroke-width='1.5' points='\(path)'/>"
      let legendY = top + 6 + Double(index) * 16
      svg +=
        "<rect x='\(Self.coordinate(left + plotWidth + 12))' y='\(Self.coordinate(legendY))' width='10' height='10' fill='\(colour)'/>"
      svg +=
        "<text x='\(Self.coordinate(left + plotWidth + 28))' y='\(Self.coordinate(legendY + 9))'>\(HTMLReport.escape(line.name))</text>"
    }
    return svg + "</svg>"
  }

  /// 1, 2 or 5 times a power of ten, at least `value`.
  static func roundUp(_ value: Double) -> Double {
    let power = pow(10, floor(log10(value)))
    for step in [1.0, 2, 5, 10] where step * power >= value { return step * power }
    return 10 * power
  }

  static func label(_ value: Double) -> String {
    value >= 100 || value == value.rounded() ? String(Int(value.rounded())) : String(format: "%.1f", value)
  }

  static func coordinate(_ value: Double) -> String { String(format: "%.1f", value) }
}
