import Foundation
import Testing

@testable import TrafficGenerator

@Suite struct SVGChartTests {
  @Test func theScaleEndsOnARoundNumber() {
    #expect(SVGChart.roundUp(0.7) == 1)
    #expect(SVGChart.roundUp(1.5) == 2)
    #expect(SVGChart.roundUp(37) == 50)
    #expect(SVGChart.roundUp(500) == 500)
    #expect(SVGChart.roundUp(501) == 1000)
  }

  @Test func drawsEachSeriesInsideThePlotWithItsEscapedName() {
    let chart = SVGChart(
      title: "Latency <ms>", yUnit: "ms",
      series: [.init(name: "p95 & more", points: [(0, 0), (10, 37)]), .init(name: "p50", points: [(0, 1)])])
    let svg = chart.render()
    #expect(svg.hasPrefix("<svg ") && svg.hasSuffix("</svg>"))
    #expect(svg.components(separatedBy: "<polyline").count == 3)
    #expect(svg.contains("p95 &amp; more") && svg.contains("Latency &lt;ms&gt;"))
    // The line runs from the plot's bottom left to 37 on a scale that ends at 50.
    #expect(svg.contains("points='56.0,230.0 570.0,80.5'"))
  }

  @Test func anEmptyChartStillRenders() {
    #expect(SVGChart(title: "none", yUnit: "", series: []).render().contains("</svg>"))
  }
}
