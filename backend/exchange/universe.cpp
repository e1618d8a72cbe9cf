#include "exchange/universe.hpp"

#include <algorithm>
#include <array>
#include <cmath>
#include <random>
#include <unordered_set>

namespace tickwire::exchange {

namespace {

struct Real {
  const char* symbol;
  const char* name;
  double price;
};

// Roughly ordered by how often retail watchlists carry them.
constexpr Real kReal[] = {
    {"AAPL", "Apple Inc.", 229.50},
    {"MSFT", "Microsoft Corporation", 425.30},
    {"NVDA", "NVIDIA Corporation", 138.20},
    {"AMZN", "Amazon.com, Inc.", 197.10},
    {"GOOGL", "Alphabet Inc. Class A", 171.40},
    {"META", "Meta Platforms, Inc.", 560.80},
    {"TSLA", "Tesla, Inc.", 251.40},
    {"GOOG", "Alphabet Inc. Class C", 172.90},
    {"BRK.B", "Berkshire Hathaway Inc. Class B", 463.20},
    {"AMD", "Advanced Micro Devices, Inc.", 155.60},
    {"NFLX", "Netflix, Inc.", 705.20},
    {"JPM", "JPMorgan Chase & Co.", 212.60},
    {"V", "Visa Inc.", 283.90},
    {"AVGO", "Broadcom Inc.", 168.30},
    {"LLY", "Eli Lilly and Company", 905.40},
    {"UNH", "UnitedHealth Group Incorporated", 585.10},
    {"XOM", "Exxon Mobil Corporation", 118.70},
    {"MA", "Mastercard Incorporated", 497.20},
    {"COST", "Costco Wholesale Corporation", 887.60},
    {"WMT", "Walmart Inc.", 80.90},
    {"JNJ", "Johnson & Johnson", 161.30},
    {"PG", "The Procter & Gamble Company", 172.40},
    {"HD", "The Home Depot, Inc.", 401.20},
    {"BAC", "Bank of America Corporation", 40.10},
    {"ORCL", "Oracle Corporation", 169.80},
    {"KO", "The Coca-Cola Company", 70.20},
    {"PEP", "PepsiCo, Inc.", 170.60},
    {"CRM", "Salesforce, Inc.", 288.40},
    {"ADBE", "Adobe Inc.", 510.30},
    {"INTC", "Intel Corporation", 22.80},
    {"CSCO", "Cisco Systems, Inc.", 53.20},
    {"DIS", "The Walt Disney Company", 95.40},
    {"PYPL", "PayPal Holdings, Inc.", 79.60},
    {"PLTR", "Palantir Technologies Inc.", 41.70},
    {"SOFI", "SoFi Technologies, Inc.", 10.40},
    {"F", "Ford Motor Company", 10.90},
    {"GM", "General Motors Company", 48.30},
    {"NKE", "NIKE, Inc.", 83.10},
    {"SBUX", "Starbucks Corporation", 97.50},
    {"MCD", "McDonald's Corporation", 296.70},
    {"BA", "The Boeing Company", 152.30},
    {"UBER", "Uber Technologies, Inc.", 75.20},
    {"ABNB", "Airbnb, Inc.", 134.80},
    {"SHOP", "Shopify Inc.", 79.40},
    {"COIN", "Coinbase Global, Inc.", 191.30},
    {"HOOD", "Robinhood Markets, Inc.", 24.60},
    {"QCOM", "QUALCOMM Incorporated", 168.90},
    {"TXN", "Texas Instruments Incorporated", 203.50},
    {"MU", "Micron Technology, Inc.", 104.70},
    {"IBM", "International Business Machines Corporation", 231.20},
    {"T", "AT&T Inc.", 21.90},
    {"VZ", "Verizon Communications Inc.", 44.30},
    {"TMUS", "T-Mobile US, Inc.", 222.10},
    {"CMCSA", "Comcast Corporation", 41.80},
    {"PFE", "Pfizer Inc.", 28.90},
    {"MRK", "Merck & Co., Inc.", 111.20},
    {"ABBV", "AbbVie Inc.", 194.60},
    {"TMO", "Thermo Fisher Scientific Inc.", 603.40},
    {"ABT", "Abbott Laboratories", 115.80},
    {"CVX", "Chevron Corporation", 147.20},
    {"WFC", "Wells Fargo & Company", 58.40},
    {"C", "Citigroup Inc.", 63.10},
    {"GS", "The Goldman Sachs Group, Inc.", 502.70},
    {"MS", "Morgan Stanley", 105.90},
    {"SCHW", "The Charles Schwab Corporation", 66.30},
    {"AXP", "American Express Company", 268.40},
    {"BLK", "BlackRock, Inc.", 946.10},
    {"SPGI", "S&P Global Inc.", 514.60},
    {"INTU", "Intuit Inc.", 624.30},
    {"NOW", "ServiceNow, Inc.", 889.70},
    {"AMAT", "Applied Materials, Inc.", 197.80},
    {"LRCX", "Lam Research Corporation", 79.40},
    {"ADI", "Analog Devices, Inc.", 229.60},
    {"PANW", "Palo Alto Networks, Inc.", 354.20},
    {"CRWD", "CrowdStrike Holdings, Inc.", 286.90},
    {"SNOW", "Snowflake Inc.", 116.30},
    {"NET", "Cloudflare, Inc.", 84.50},
    {"DDOG", "Datadog, Inc.", 118.70},
    {"ZM", "Zoom Video Communications, Inc.", 71.40},
    {"SQ", "Block, Inc.", 67.80},
    {"ROKU", "Roku, Inc.", 74.90},
    {"SPOT", "Spotify Technology S.A.", 371.20},
    {"RIVN", "Rivian Automotive, Inc.", 13.20},
    {"LCID", "Lucid Group, Inc.", 3.40},
    {"NIO", "NIO Inc.", 5.90},
    {"BABA", "Alibaba Group Holding Limited", 101.30},
    {"TSM", "Taiwan Semiconductor Manufacturing Company Limited", 187.40},
    {"ASML", "ASML Holding N.V.", 831.60},
    {"ARM", "Arm Holdings plc", 146.20},
    {"SMCI", "Super Micro Computer, Inc.", 43.70},
    {"MSTR", "MicroStrategy Incorporated", 173.20},
    {"GME", "GameStop Corp.", 22.10},
    {"AMC", "AMC Entertainment Holdings, Inc.", 4.60},
    {"CAT", "Caterpillar Inc.", 386.20},
    {"DE", "Deere & Company", 401.70},
    {"GE", "GE Aerospace", 186.40},
    {"HON", "Honeywell International Inc.", 207.30},
    {"LMT", "Lockheed Martin Corporation", 578.90},
    {"RTX", "RTX Corporation", 122.60},
    {"UPS", "United Parcel Service, Inc.", 133.80},
    {"FDX", "FedEx Corporation", 286.40},
    {"LOW", "Lowe's Companies, Inc.", 263.90},
    {"TGT", "Target Corporation", 153.20},
    {"CVS", "CVS Health Corporation", 61.70},
    {"MO", "Altria Group, Inc.", 51.20},
    {"PM", "Philip Morris International Inc.", 122.40},
    {"MDLZ", "Mondelez International, Inc.", 70.30},
    {"BMY", "Bristol-Myers Squibb Company", 52.60},
    {"GILD", "Gilead Sciences, Inc.", 84.90},
    {"AMGN", "Amgen Inc.", 321.70},
    {"ISRG", "Intuitive Surgical, Inc.", 496.30},
    {"BKNG", "Booking Holdings Inc.", 4321.50},
    {"CMG", "Chipotle Mexican Grill, Inc.", 58.20},
    {"MAR", "Marriott International, Inc.", 258.10},
    {"DAL", "Delta Air Lines, Inc.", 52.70},
    {"UAL", "United Airlines Holdings, Inc.", 58.90},
    {"AAL", "American Airlines Group Inc.", 12.40},
    {"CCL", "Carnival Corporation & plc", 20.30},
    {"NEE", "NextEra Energy, Inc.", 81.40},
    {"DUK", "Duke Energy Corporation", 115.60},
    {"SO", "The Southern Company", 88.90},
    {"OXY", "Occidental Petroleum Corporation", 53.40},
    {"COP", "ConocoPhillips", 109.80},
    {"SLB", "Schlumberger Limited", 42.10},
    {"SPY", "SPDR S&P 500 ETF Trust", 579.40},
    {"QQQ", "Invesco QQQ Trust", 493.80},
    {"IWM", "iShares Russell 2000 ETF", 221.60},
    {"DIA", "SPDR Dow Jones Industrial Average ETF Trust", 426.30},
    {"VOO", "Vanguard S&P 500 ETF", 532.70},
    {"VTI", "Vanguard Total Stock Market ETF", 287.90},
    {"ARKK", "ARK Innovation ETF", 51.30},
};

constexpr std::array kNameFirst = {
    "Apex",    "Blue",   "Cedar",  "Delta",  "Summit", "Granite", "Harbor", "Iron",
    "Juniper", "Keystone", "Lumen", "Meridian", "Northern", "Orion", "Pioneer", "Quantum",
    "Redwood", "Silver", "Titan",  "United", "Vertex", "Western", "Crescent", "Evergreen"};
constexpr std::array kNameSecond = {
    "Bio",     "Capital", "Energy", "Foods",   "Health", "Logistics", "Materials", "Media",
    "Mining",  "Motors",  "Pharma", "Realty",  "Robotics", "Semiconductor", "Software",
    "Solar",   "Systems", "Telecom", "Therapeutics", "Water"};
constexpr std::array kNameSuffix = {"Inc.", "Corp.", "Holdings, Inc.", "Group", "Ltd.", "Co."};

}  // namespace

std::size_t real_listing_count() { return std::size(kReal); }

std::vector<Listing> make_universe(std::size_t size, std::uint64_t seed) {
  std::vector<Listing> out;
  out.reserve(std::max(size, std::size(kReal)));
  std::unordered_set<std::string> used;
  for (const auto& r : kReal) {
    out.push_back({r.symbol, r.name, r.price});
    used.insert(r.symbol);
  }
  std::mt19937_64 rng(seed);
  std::uniform_int_distribution<int> letter(0, 25);
  std::uniform_int_distribution<int> length(3, 4);
  std::lognormal_distribution<double> price(std::log(40.0), 0.9);
  while (out.size() < size) {
    std::string sym;
    const int len = length(rng);
    for (int i = 0; i < len; ++i) sym += static_cast<char>('A' + letter(rng));
    if (!used.insert(sym).second) continue;
    std::string name = std::string(kNameFirst[rng() % kNameFirst.size()]) + " " +
                       kNameSecond[rng() % kNameSecond.size()] + " " +
                       kNameSuffix[rng() % kNameSuffix.size()];
    const double p = std::clamp(price(rng), 1.0, 900.0);
    out.push_back({std::move(sym), std::move(name), std::round(p * 100) / 100});
  }
  return out;
}

}  // namespace tickwire::exchange
