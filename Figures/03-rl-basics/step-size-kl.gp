# Distance from the start: KL(π_θ ‖ π_ref) per response
# Render from this directory: gnuplot step-size-kl.gp  (writes step-size-kl.png)
if (!exists("outfile")) outfile = 'step-size-kl.png'
set terminal pngcairo size 800,500 noenhanced font 'Sans,11'
set output outfile
set title 'Distance from the start: KL(π_θ ‖ π_ref) per response'
set xlabel 'REINFORCE step'
set ylabel 'KL estimate (nats per response)'
set key bottom right box opaque
set grid
set logscale y
set format y '%g'
set style fill transparent solid 0.2 noborder
set offsets 0, 0, graph 0.05, graph 0.05
plot 'step-size-kl.dat' index 0 using 1:2 with lines lw 2 lc 1 title 'lr 0.002, k1', \
     'step-size-kl.dat' index 1 using 1:2 with lines lw 2 lc 2 title 'lr 0.002, k3', \
     'step-size-kl.dat' index 2 using 1:2 with lines lw 2 lc 3 title 'lr 0.01, k1', \
     'step-size-kl.dat' index 3 using 1:2 with lines lw 2 lc 4 title 'lr 0.01, k3'
