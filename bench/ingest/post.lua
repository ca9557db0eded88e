-- wrk script for bench/ingest.sh: POSTs realistic phieu submissions (~1 KB)
-- to /api/submissions, each with its own id, and counts the answers.
--
--   wrk -t2 -c32 -d20s --latency -s bench/ingest/post.lua URL -- MODE DUP_PCT NONCE
--
-- MODE:
--   new     every request carries a NEW id: every request is a real insert
--   dup     like new, but DUP_PCT % of requests resend an earlier id of the
--           same thread with the very same body (a phone resending after a
--           lost answer): the server must answer 200 "duplicate", store nothing
--   reject  the same POSTs, but the Idempotency-Key does not match the id, so
--           the server parses and checks the body and answers 400 just before
--           the store: everything except SQLite
--   health  GET /api/health: HTTP alone
-- NONCE keeps ids of different runs apart.
--
-- done() prints one line "RESULT {json}" that bench/ingest.sh reads.

local threads = {}
local next_tid = 0

-- PHIEU_BENCH_PORTS="P1,P2": several instances on 127.0.0.1 behind no
-- balancer; thread i sends to port i (round robin), so wrk's latency
-- figures cover them all at once.
local ports = {}
for p in string.gmatch(os.getenv("PHIEU_BENCH_PORTS") or "", "%d+") do ports[#ports + 1] = p end

function setup(thread)
   next_tid = next_tid + 1
   thread:set("tid", next_tid)
   if #ports > 0 then
      thread.addr = wrk.lookup("127.0.0.1", ports[(next_tid - 1) % #ports + 1])[1]
   end
   table.insert(threads, thread)
end

-- Per thread (each wrk thread has its own Lua state).
local mode, dup_pct, nonce
local headers = {}
n = 0          -- new ids made by this thread
sent = 0       -- request() calls (new + resent)
resent = 0     -- of which resends of an earlier id
body_bytes = 0 -- bytes of bodies sent
st201, st200, st400, other = 0, 0, 0, 0

local districts = { "ba-dinh", "hoan-kiem", "tay-ho", "long-bien", "cau-giay", "dong-da",
   "hai-ba-trung", "hoang-mai", "thanh-xuan", "nam-tu-liem", "bac-tu-liem", "ha-dong" }
local topics = { "dat-dai", "moi-truong", "giao-thong", "an-ninh", "y-te", "giao-duc",
   "doi-song", "chinh-sach", "khac" }
local channels = { "zalo", "facebook", "dien-thoai", "truc-tiep", "hoi-hop", "bao-chi" }
local spreads = { "it", "khu-dan-cu", "quan-huyen", "rong-khap" }
local names = { "Nguyễn Thị Hương", "Trần Văn Minh", "Lê Thị Thu Hà", "Phạm Quốc Dũng",
   "Hoàng Thị Lan", "Vũ Đức Thắng", "Đặng Thị Mai", "Bùi Văn Hùng" }
local opinions = {
   "Người dân tổ dân phố số 5 phản ánh việc thu gom rác thải không đúng giờ, xe rác thường đến sau 22 giờ gây ồn ào và mất vệ sinh. Nhiều hộ gia đình đề nghị phường sớm có phương án điều chỉnh lịch thu gom cho phù hợp.",
   "Bà con khu vực chợ dân sinh bày tỏ lo ngại về tình trạng lấn chiếm vỉa hè để buôn bán, gây ùn tắc giao thông vào giờ cao điểm buổi sáng. Một số ý kiến cho rằng cần bố trí điểm kinh doanh tạm thời cho các hộ nhỏ lẻ.",
   "Cử tri đánh giá cao việc triển khai dịch vụ công trực tuyến mức độ 4, tuy nhiên người cao tuổi còn gặp nhiều khó khăn khi thao tác trên điện thoại. Đề nghị có cán bộ hướng dẫn trực tiếp tại bộ phận một cửa vào cuối tuần.",
   "Nhiều phụ huynh phản ánh sĩ số lớp học tại trường tiểu học trên địa bàn quá đông, trên 50 học sinh mỗi lớp, ảnh hưởng đến chất lượng dạy và học. Người dân mong muốn thành phố sớm đầu tư xây thêm phòng học.",
}
local proposals = {
   "Đề nghị UBND phường tổ chức đối thoại với nhân dân trong quý tới.",
   "Kiến nghị tăng cường kiểm tra, xử lý nghiêm các trường hợp vi phạm.",
   "Đề nghị công khai kế hoạch và tiến độ thực hiện trên cổng thông tin của quận.",
}

function init(args)
   mode = args[1] or "new"
   dup_pct = tonumber(args[2] or "10") or 10
   nonce = tonumber(args[3] or "0") or 0
   math.randomseed(nonce * 7919 + tid)
   headers["Content-Type"] = "application/json"
end

local function h(x, digits) return string.format("%0" .. digits .. "x", x % (16 ^ digits)) end

-- A UUID v4-shaped id, unique per (nonce, thread, k). The first group is
-- scrambled so that ids arrive in random order, as phones' random UUIDs do
-- (the UNIQUE index sees random inserts, not appends).
local function make_id(k)
   local scramble = (k * 2654435761 + tid * 40503) % 4294967296
   return h(scramble, 8) .. "-" .. h(nonce, 4) .. "-4" .. h(tid, 3) .. "-8" .. h(math.floor(k / 4294967296), 3) .. "-" .. h(k, 12)
end

-- The body is a pure function of k, so a resend is byte for byte the same.
local function make_body(k, id)
   local t = 1764115200 + k * 37 + tid * 11   -- 2025-11-26T00:00:00Z onwards
   local started = os.date("!%Y-%m-%dT%H:%M:%S", t) .. ".123Z"
   local completed = os.date("!%Y-%m-%dT%H:%M:%S", t + 95 + k % 300) .. ".456Z"
   local ch = {}
   for i = 1, #channels do
      if (k + i) % 3 ~= 0 then ch[#ch + 1] = '"' .. channels[i] .. '"' end
   end
   local phone = string.format("09%08d", (k * 7 + tid) % 100000000)
   return '{"id":"' .. id .. '","form":{"id":"phan-anh-du-luan","version":"1"},'
      .. '"startedAt":"' .. started .. '","completedAt":"' .. completed .. '",'
      .. '"answers":{'
      .. '"collaborator":"' .. names[k % #names + 1] .. '",'
      .. '"phone":"' .. phone .. '",'
      .. '"district":"' .. districts[k % #districts + 1] .. '",'
      .. '"reportDate":"' .. os.date("!%Y-%m-%d", t) .. '",'
      .. '"topic":"' .. topics[k % #topics + 1] .. '",'
      .. '"channels":[' .. table.concat(ch, ",") .. '],'
      .. '"opinion":"' .. opinions[k % #opinions + 1] .. '",'
      .. '"spread":"' .. spreads[k % #spreads + 1] .. '",'
      .. '"urgent":' .. ((k % 7 == 0) and "true" or "false") .. ','
      .. '"proposal":"' .. proposals[k % #proposals + 1] .. '"},'
      .. '"meta":{"locale":"vi","appVersion":"bench"}}'
end

function request()
   sent = sent + 1
   if mode == "health" then
      return wrk.format("GET", "/api/health")
   end
   local k
   if mode == "dup" and n > 0 and math.random(100) <= dup_pct then
      k = math.random(n)
      resent = resent + 1
   else
      n = n + 1
      k = n
   end
   local id = make_id(k)
   headers["Idempotency-Key"] = (mode == "reject") and (id .. "-not-this") or id
   local body = make_body(k, id)
   body_bytes = body_bytes + #body
   return wrk.format("POST", "/api/submissions", headers, body)
end

function response(status, hdrs, body)
   if status == 201 then st201 = st201 + 1
   elseif status == 200 then st200 = st200 + 1
   elseif status == 400 then st400 = st400 + 1
   else other = other + 1 end
end

function done(summary, latency, requests)
   local t = { n = 0, sent = 0, resent = 0, body_bytes = 0, st201 = 0, st200 = 0, st400 = 0, other = 0 }
   for _, thread in ipairs(threads) do
      for key, _ in pairs(t) do t[key] = t[key] + (thread:get(key) or 0) end
   end
   -- wrk calls request() once on its first thread before the run, to check
   -- the script (script_verify_request in wrk.c); that request is never sent.
   t.sent = t.sent - 1
   if mode ~= "health" then t.n = t.n - 1 end
   local e = summary.errors
   local socket_errors = e.connect + e.read + e.write + e.timeout
   local secs = summary.duration / 1e6
   io.write(string.format(
      'RESULT {"requests":%d,"seconds":%.3f,"rps":%.1f,"p50_ms":%.3f,"p90_ms":%.3f,"p99_ms":%.3f,"max_ms":%.3f,'
      .. '"non2xx":%d,"socket_errors":%d,"timeouts":%d,"distinct_ids":%d,"sent":%d,"resent":%d,'
      .. '"st201":%d,"st200":%d,"st400":%d,"other":%d,"bytes":%d,"body_bytes":%d}\n',
      summary.requests, secs, summary.requests / secs,
      latency:percentile(50) / 1000, latency:percentile(90) / 1000, latency:percentile(99) / 1000, latency.max / 1000,
      e.status, socket_errors, e.timeout, t.n, t.sent, t.resent,
      t.st201, t.st200, t.st400, t.other, summary.bytes, t.body_bytes))
end
