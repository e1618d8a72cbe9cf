// The allocator for a connection's read that stays pending for the connection's whole life.
//
// Asio recycles the memory of finished operations per thread and hands a cached block to the
// next operation that fits in it, whatever its size. A stream session starts its lasting read
// right after the HTTP session's request read finished, so that read would take the request
// read's cached block (several hundred bytes, sized for Beast's HTTP parser) and hold it as long
// as the client stays: about 250 B more per idle connection, measured with malloc_stats at
// 10,000 of them. Allocating the lasting read with plain operator new gives it exactly its size
// and leaves the cached block to the next request.
#pragma once

#include <boost/asio/bind_allocator.hpp>
#include <cstddef>
#include <new>

namespace tickwire::stream {

// std::allocator's behaviour under a type of its own (Asio only recycles for std::allocator).
template <typename T>
struct PlainAllocator {
  using value_type = T;
  PlainAllocator() noexcept = default;
  template <typename U>
  PlainAllocator(const PlainAllocator<U>&) noexcept {}
  T* allocate(std::size_t n) { return static_cast<T*>(::operator new(n * sizeof(T))); }
  void deallocate(T* p, std::size_t) noexcept { ::operator delete(p); }
  template <typename U>
  bool operator==(const PlainAllocator<U>&) const noexcept { return true; }
};

template <typename Handler>
auto lasting_read(Handler&& handler) {
  return boost::asio::bind_allocator(PlainAllocator<void>{}, std::forward<Handler>(handler));
}

}  // namespace tickwire::stream
